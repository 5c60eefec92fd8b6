// JSON lines: one JSON value per line; blank lines are skipped. With a schema (zod's safeParse shape), a
// value that does not match is a bad line whose error lists the failing fields.
import { type LineDecoder, type LineDecoderFactory, SKIP } from './line-decoder.ts';

/** Anything with zod's safeParse shape, so zod schemas validate records without a hard dependency. */
export type RecordSchema<T> = {
  safeParse(
    value: unknown,
  ): { success: true; data: T } | { success: false; error: { message: string; issues?: readonly Issue[] } };
};

type Issue = { readonly path?: readonly PropertyKey[]; readonly message: string };

const BLANK = /^\s*$/;

export function jsonLinesDecoder<T>(schema: RecordSchema<T> | undefined): LineDecoderFactory<T> {
  const decoder: LineDecoder<T> = {
    decode(text) {
      if (BLANK.test(text)) return SKIP;
      const value: unknown = JSON.parse(text);
      if (schema === undefined) return value as T;
      const checked = schema.safeParse(value);
      if (checked.success) return checked.data;
      throw new Error(`record does not match the schema: ${describeIssues(checked.error)}`);
    },
  };
  return () => decoder;
}

function describeIssues(error: { message: string; issues?: readonly Issue[] }): string {
  if (error.issues === undefined || error.issues.length === 0) return error.message;
  return error.issues
    .map((i) => `${i.path && i.path.length > 0 ? i.path.map(String).join('.') : '(record)'}: ${i.message}`)
    .join('; ');
}
