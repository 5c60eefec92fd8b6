// The public API of @riffle/runtime: what job modules import.

export type { Collector } from './api/collector.ts';
export {
  DataStream,
  DataStreamSink,
  DataStreamSource,
  SingleOutputStreamOperator,
} from './api/data-stream.ts';
export { DEAD_LETTER, type DeadLetter, type RecordErrorPolicy } from './api/dead-letter.ts';
export { type ExecutionConfig, StreamExecutionEnvironment } from './api/execution-environment.ts';
export type {
  AggregateFunction,
  FilterFunction,
  FlatMapFunction,
  KeySelector,
  MapFunction,
  ReduceFunction,
} from './api/functions.ts';
export { KeyedStream } from './api/keyed-stream.ts';
export { OutputTag } from './api/output-tag.ts';
export type {
  KeyedProcessContext,
  KeyedProcessFunction,
  OnTimerContext,
  ProcessContext,
  ProcessFunction,
  TimerService,
} from './api/process-function.ts';
export type { ProcessWindowContext, ProcessWindowFunction } from './api/process-window-function.ts';
export type { KeyedStateStore, RuntimeContext, TaskInfo } from './api/runtime-context.ts';
export type { Sink, SinkContext, SinkWriter } from './api/sink.ts';
export type {
  Boundedness,
  InputStatus,
  ReaderOutput,
  Source,
  SourceReader,
  SourceReaderContext,
} from './api/source.ts';
export { WindowedStream } from './api/windowed-stream.ts';
export { CollectSink } from './connectors/collect-sink.ts';
export { CollectionSource } from './connectors/collection-source.ts';
export { type DataGeneratorOptions, DataGeneratorSource } from './connectors/datagen-source.ts';
export { FileSink } from './connectors/file-sink.ts';
export { FileSource } from './connectors/file-source.ts';
export * from './connectors/kafka/index.ts';
export { PrintSink } from './connectors/print-sink.ts';
export { SeededRandom } from './connectors/seeded-random.ts';
export type { JobClient, JobExecutionResult, JobStatus } from './execution/job-execution-result.ts';
export { RecordProcessingError } from './execution/record-processing-error.ts';
export { InvalidJobGraphError } from './graph/stream-graph.ts';
export type {
  AggregatingState,
  ListState,
  MapState,
  ReducingState,
  ValueState,
} from './state/keyed-state.ts';
export type { StateBackendConfig } from './state/state-backend-config.ts';
export {
  aggregatingState,
  listState,
  mapState,
  reducingState,
  valueState,
} from './state/state-descriptor.ts';
export { StateTtlConfig } from './state/state-ttl-config.ts';
export { Time } from './time/duration.ts';
export { ManualProcessingTimeService, SystemProcessingTimeService } from './time/processing-time-service.ts';
export { MAX_WATERMARK, MIN_WATERMARK, NO_TIMESTAMP } from './time/watermark.ts';
export type { WatermarkGenerator, WatermarkOutput } from './time/watermark-generator.ts';
export { WatermarkStrategy } from './time/watermark-strategy.ts';
export { GlobalWindows } from './windowing/global-windows.ts';
export { EventTimeSessionWindows, ProcessingTimeSessionWindows } from './windowing/session-windows.ts';
export { SlidingEventTimeWindows, SlidingProcessingTimeWindows } from './windowing/sliding-windows.ts';
export type { Trigger, TriggerContext, TriggerResult } from './windowing/trigger.ts';
export {
  CountTrigger,
  EventTimeTrigger,
  ProcessingTimeTrigger,
  PurgingTrigger,
} from './windowing/triggers.ts';
export { TumblingEventTimeWindows, TumblingProcessingTimeWindows } from './windowing/tumbling-windows.ts';
export { GlobalWindow, TimeWindow, type Window } from './windowing/window.ts';
export type { WindowAssigner } from './windowing/window-assigner.ts';
