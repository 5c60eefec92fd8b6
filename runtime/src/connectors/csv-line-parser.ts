// RFC 4180 fields of one CSV record: quoted fields may hold the delimiter, doubled quotes and newlines.
// Records that span lines (a newline inside quotes) are joined by the caller: `parseCsvLine` reports an
// unterminated quoted field as `incomplete`, and the caller retries with the next line appended.

export type CsvParse = { ok: true; fields: string[] } | { ok: false; error: string; incomplete?: true };

export function parseCsvLine(line: string, delimiter = ','): CsvParse {
  const fields: string[] = [];
  let i = 0;
  const n = line.length;
  for (;;) {
    if (i < n && line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const quote = line.indexOf('"', i);
        if (quote === -1) return { ok: false, error: 'unterminated quoted field', incomplete: true };
        value += line.slice(i, quote);
        if (line[quote + 1] === '"') {
          value += '"';
          i = quote + 2;
          continue;
        }
        i = quote + 1;
        break;
      }
      fields.push(value);
      if (i < n && line[i] !== delimiter) {
        return {
          ok: false,
          error: `unexpected character ${JSON.stringify(line[i])} after a quoted field at column ${i + 1}`,
        };
      }
    } else {
      const end = line.indexOf(delimiter, i);
      const stop = end === -1 ? n : end;
      fields.push(line.slice(i, stop));
      i = stop;
    }
    if (i >= n) return { ok: true, fields };
    i++; // delimiter
    if (i === n) {
      fields.push('');
      return { ok: true, fields };
    }
  }
}
