// Which reader subtask owns a topic partition: Flink's KafkaSourceEnumerator.getSplitOwner, so partitions of a
// topic are spread evenly, starting at a topic-dependent subtask. Pure, and the same on every subtask, so
// readers agree on ownership without talking to each other.

/** Java's String.hashCode (UTF-16 code units, 32-bit overflow). */
export function javaStringHashCode(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

export function partitionOwner(topic: string, partition: number, parallelism: number): number {
  const startIndex = (Math.imul(javaStringHashCode(topic), 31) & 0x7fffffff) % parallelism;
  return (startIndex + partition) % parallelism;
}
