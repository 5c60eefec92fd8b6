/** Names a side output of an operator, typed by the records it carries (Flink's OutputTag). */
export class OutputTag<T> {
  readonly id: string;
  /** Phantom field carrying the element type; never set. */
  declare readonly __type?: T;

  constructor(id: string) {
    if (typeof id !== 'string' || id.length === 0) {
      throw new TypeError(
        'OutputTag id must be a non-empty string, e.g. new OutputTag<Alert>("late-alerts")',
      );
    }
    this.id = id;
  }

  toString(): string {
    return `OutputTag(${this.id})`;
  }
}
