// TaskManager-level metrics: its slots (Flink's taskSlotsTotal / taskSlotsAvailable).
import { Gauge, type Registry } from 'prom-client';

export class TaskManagerMetrics {
  readonly #total: Gauge;
  readonly #free: Gauge;

  constructor(registry: Registry) {
    this.#total = new Gauge({
      name: 'riffle_taskmanager_slots_total',
      help: 'Slots this TaskManager offers',
      registers: [registry],
    });
    this.#free = new Gauge({
      name: 'riffle_taskmanager_slots_free',
      help: 'Slots of this TaskManager running nothing',
      registers: [registry],
    });
  }

  setSlots(total: number, free: number): void {
    this.#total.set(total);
    this.#free.set(free);
  }
}
