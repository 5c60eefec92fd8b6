// The error a job fails with when a record cannot be processed: it names the operator, the record and the
// cause, so the failure can be understood from the message alone.
export class RecordProcessingError extends Error {
  readonly operator: string;
  readonly record: unknown;

  constructor(operator: string, record: unknown, cause: unknown, advice?: string) {
    const reason = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    super(
      `operator "${operator}" failed on record ${previewRecord(record)}: ${reason}. ` +
        (advice ??
          `To keep the job running and route such records to a dead-letter output, call ` +
            `.onRecordError('dead-letter') on that operator and read getSideOutput(DEAD_LETTER)`),
      { cause },
    );
    this.name = 'RecordProcessingError';
    this.operator = operator;
    this.record = record;
  }
}

export function previewRecord(record: unknown, max = 200): string {
  let text: string;
  try {
    text =
      typeof record === 'string'
        ? JSON.stringify(record)
        : (JSON.stringify(record, bigintReplacer) ?? String(record));
  } catch {
    text = String(record);
  }
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function bigintReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? `${value}n` : value;
}

export function errorInfo(cause: unknown): { name: string; message: string; stack?: string } {
  if (cause instanceof Error) {
    return cause.stack
      ? { name: cause.name, message: cause.message, stack: cause.stack }
      : { name: cause.name, message: cause.message };
  }
  return { name: 'Error', message: String(cause) };
}
