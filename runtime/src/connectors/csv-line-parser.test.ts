import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseCsvLine } from './csv-line-parser.ts';

const ok: [string, string[]][] = [
  ['a,b,c', ['a', 'b', 'c']],
  ['"a,b",c', ['a,b', 'c']],
  ['"he said ""hi""",2', ['he said "hi"', '2']],
  ['a,,c', ['a', '', 'c']],
  ['a,b,', ['a', 'b', '']],
  ['""', ['']],
  ['x', ['x']],
  ['"two\nlines",b', ['two\nlines', 'b']],
  ['a"b,c', ['a"b', 'c']],
  ['', ['']],
];

for (const [line, fields] of ok) {
  test(`parses ${line}`, () => {
    assert.equal(parseCsvLine(line), { ok: true, fields });
  });
}

test('semicolon delimiter', () => {
  assert.equal(parseCsvLine('a;"b;c"', ';'), { ok: true, fields: ['a', 'b;c'] });
});

test('errors name the problem', () => {
  assert.equal(parseCsvLine('"abc'), { ok: false, error: 'unterminated quoted field', incomplete: true });
  const r = parseCsvLine('"a"b,c');
  assert.not.ok(r.ok);
  assert.match(r.ok ? '' : r.error, /after a quoted field at column 4/);
});

test.run();
