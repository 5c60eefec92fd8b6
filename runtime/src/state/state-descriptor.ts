// Descriptors name a piece of keyed state and say how to combine its values. State is looked up by name,
// so names must be unique within an operator; the name is also the key of the state in snapshots.
import type { AggregateFunction, ReduceFunction } from '../api/functions.ts';
import type { StateTtlConfig } from './state-ttl-config.ts';

type Common = { readonly name: string; ttl?: StateTtlConfig };

export type ValueStateDescriptor<T> = Common & { readonly kind: 'value'; readonly defaultValue?: T };
export type ListStateDescriptor<T> = Common & { readonly kind: 'list'; readonly __t?: T };
export type MapStateDescriptor<K, V> = Common & { readonly kind: 'map'; readonly __k?: K; readonly __v?: V };
export type ReducingStateDescriptor<T> = Common & { readonly kind: 'reducing'; reduce(a: T, b: T): T };
export type AggregatingStateDescriptor<IN, ACC, OUT> = Common & {
  readonly kind: 'aggregating';
  readonly aggregate: AggregateFunction<IN, ACC, OUT>;
};

export type AnyStateDescriptor =
  | ValueStateDescriptor<unknown>
  | ListStateDescriptor<unknown>
  | MapStateDescriptor<unknown, unknown>
  | ReducingStateDescriptor<unknown>
  | AggregatingStateDescriptor<unknown, unknown, unknown>;

function checkName(name: string): string {
  if (typeof name !== 'string' || name.length === 0) {
    throw new TypeError('a state descriptor needs a non-empty name, unique within its operator');
  }
  return name;
}

export function valueState<T>(
  name: string,
  options: { defaultValue?: T; ttl?: StateTtlConfig } = {},
): ValueStateDescriptor<T> {
  return { kind: 'value', name: checkName(name), ...options };
}

export function listState<T>(name: string, options: { ttl?: StateTtlConfig } = {}): ListStateDescriptor<T> {
  return { kind: 'list', name: checkName(name), ...options };
}

export function mapState<K, V>(
  name: string,
  options: { ttl?: StateTtlConfig } = {},
): MapStateDescriptor<K, V> {
  return { kind: 'map', name: checkName(name), ...options };
}

export function reducingState<T>(
  name: string,
  reduce: ReduceFunction<T>,
  options: { ttl?: StateTtlConfig } = {},
): ReducingStateDescriptor<T> {
  return { kind: 'reducing', name: checkName(name), reduce, ...options };
}

export function aggregatingState<IN, ACC, OUT>(
  name: string,
  aggregate: AggregateFunction<IN, ACC, OUT>,
  options: { ttl?: StateTtlConfig } = {},
): AggregatingStateDescriptor<IN, ACC, OUT> {
  return { kind: 'aggregating', name: checkName(name), aggregate, ...options };
}
