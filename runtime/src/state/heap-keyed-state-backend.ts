// The in-memory keyed state backend (Flink's HashMapStateBackend): state lives on the JavaScript heap.
import { HeapStateTable } from './heap-state-table.ts';
import { type KeyedBackendOptions, KeyedStateBackend } from './keyed-state-backend.ts';

export type { KeyedBackendOptions, KeyedStateEntry } from './keyed-state-backend.ts';

export class HeapKeyedStateBackend extends KeyedStateBackend {
  constructor(options: KeyedBackendOptions) {
    super(options, (descriptor) => new HeapStateTable(descriptor));
  }
}
