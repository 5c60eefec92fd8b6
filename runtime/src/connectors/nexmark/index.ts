// The Nexmark benchmark's event source and model.
export { NexmarkEventGenerator } from './event-generator.ts';
export { DEFAULT_NEXMARK_CONFIG, GeneratorConfig, type NexmarkConfig } from './generator-config.ts';
export { JavaRandom } from './java-random.ts';
export type { Auction, Bid, NexmarkEvent, Person } from './model.ts';
export { NexmarkSource, type NexmarkSourceOptions } from './nexmark-source.ts';
