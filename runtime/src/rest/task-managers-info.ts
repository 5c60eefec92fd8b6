// GET /taskmanagers: Flink's TaskManagersInfo.
import { z } from 'zod';

export const HardwareDescription = z.object({
  cpuCores: z.number().int().min(0),
  physicalMemory: z.number().min(0),
  freeMemory: z.number().min(0),
});

export type HardwareDescription = z.output<typeof HardwareDescription>;

export const TaskManagerInfo = z.object({
  id: z.string(),
  /** The TaskManager's control address. */
  path: z.string(),
  dataPort: z.number().int().min(0),
  timeSinceLastHeartbeat: z.number(),
  slotsNumber: z.number().int().min(0),
  freeSlots: z.number().int().min(0),
  hardware: HardwareDescription,
});

export type TaskManagerInfo = z.output<typeof TaskManagerInfo>;

export const TaskManagersInfo = z.object({ taskmanagers: z.array(TaskManagerInfo) });

export type TaskManagersInfo = z.output<typeof TaskManagersInfo>;
