// DataStream.keyBy creates a KeyedStream, and KeyedStream extends DataStream. To keep that cycle out of
// module loading, keyed-stream.ts registers its class here when it loads (the environment imports it).
import type { Transformation } from '../graph/transformation.ts';
import type { StreamExecutionEnvironment } from './execution-environment.ts';
import type { KeySelector } from './functions.ts';

type KeyedStreamClass = new (
  env: StreamExecutionEnvironment,
  transformation: Transformation,
  keySelector: KeySelector<never, unknown>,
) => unknown;

export const keyedStreamConstructor: { current: KeyedStreamClass | undefined } = { current: undefined };
