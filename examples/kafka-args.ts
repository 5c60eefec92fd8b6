// Job arguments that move an example from generated data to Kafka:
//   --kafka HOST:PORT[,...]   read the input topic (and write the output topic) on this cluster
//   --until-end               stop at the end of the input as it is at start (a bounded run)
//   --exactly-once DIR|URI    transactional output, committed with checkpoints stored under DIR/URI
export type KafkaArgs = {
  readonly bootstrapServers: string;
  readonly untilEnd: boolean;
  /** Set with --exactly-once: where checkpoints go. */
  readonly checkpoints: string | undefined;
};

function optionValue(job: string, args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i === -1) return undefined;
  const v = args[i + 1];
  if (v === undefined || v.startsWith('--')) throw new Error(`${job}: ${name} needs a value`);
  return v;
}

/** undefined without --kafka: the example then runs on generated data. */
export function kafkaArgs(job: string, args: readonly string[]): KafkaArgs | undefined {
  const bootstrapServers = optionValue(job, args, '--kafka');
  const checkpoints = optionValue(job, args, '--exactly-once');
  if (bootstrapServers === undefined) {
    if (checkpoints !== undefined || args.includes('--until-end'))
      throw new Error(`${job}: --exactly-once and --until-end need --kafka HOST:PORT`);
    return undefined;
  }
  return { bootstrapServers, untilEnd: args.includes('--until-end'), checkpoints };
}

export function topicArg(job: string, args: readonly string[], name: string, fallback: string): string {
  return optionValue(job, args, name) ?? fallback;
}
