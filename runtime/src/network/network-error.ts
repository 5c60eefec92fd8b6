// A failure of the data plane that a task must fail on: names the remote endpoint and the channels affected.
export class NetworkError extends Error {
  readonly remote: string;
  readonly channelIds: readonly string[];

  constructor(message: string, remote: string, channelIds: readonly string[], cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'NetworkError';
    this.remote = remote;
    this.channelIds = channelIds;
  }
}

/** "e1:0->1, e1:1->1 and 3 more", for messages. */
export function describeChannels(ids: readonly string[]): string {
  if (ids.length <= 4) return ids.join(', ');
  return `${ids.slice(0, 4).join(', ')} and ${ids.length - 4} more`;
}
