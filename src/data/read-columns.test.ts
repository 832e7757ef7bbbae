import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { DelimitedTokenizer, readColumns } from './read-columns.js';

const LINES = ['a,b,c', '1,"x, y",3', '"multi\nline","say ""hi""",', '4,plain "quote,6', '"",,"end"'];
const SAMPLE = `${LINES.join('\n')}\n`;
const CRLF = `${LINES.join('\r\n')}\r\n`;

function tokenize(text: string, splits: readonly number[]): string[][] {
  const records: string[][] = [];
  const tokenizer = new DelimitedTokenizer(44, (fields) => records.push(fields));
  let last = 0;
  for (const at of [...splits, text.length]) {
    tokenizer.feed(text.slice(last, at));
    last = at;
  }
  tokenizer.end();
  return records;
}

describe('the streaming CSV tokenizer', () => {
  it('reads what csv-parse reads, wherever the chunks split (quotes, doubled quotes, newlines in quotes, CRLF)', () => {
    const expected: string[][] = parse(SAMPLE, { relax_quotes: true, relax_column_count: true });
    for (let at = 0; at <= SAMPLE.length; at += 1) expect(tokenize(SAMPLE, [at])).toEqual(expected);
    expect(
      tokenize(
        SAMPLE,
        Array.from({ length: SAMPLE.length }, (_, i) => i),
      ),
    ).toEqual(expected);
    const expectedCrlf: string[][] = parse(CRLF, { relax_quotes: true, relax_column_count: true });
    expect(expectedCrlf).toEqual(expected);
    for (let at = 0; at <= CRLF.length; at += 1) expect(tokenize(CRLF, [at])).toEqual(expectedCrlf);
  });
  it('a last line without a newline still counts', () => {
    expect(tokenize('a,b\n1,2', [])).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });
});

describe('readColumns', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ys-columns-'));
  it('reads CSV into typed columns, dropping a BOM, and JSONL with keys that appear late', async () => {
    writeFileSync(join(dir, 'x.csv'), '\uFEFFn,c\n1.5,a\n,b\n3,a\n');
    const csv = await readColumns(join(dir, 'x.csv'));
    expect(csv.rows).toBe(3);
    expect(Array.from(csv.columns.get('n')?.numbers() ?? [])).toEqual([1.5, 3]);
    expect(csv.columns.get('n')?.missing).toBe(1);
    expect(csv.columns.get('c')?.texts()).toEqual(['a', 'b', 'a']);
    writeFileSync(join(dir, 'x.jsonl'), '{"a": 1}\n{"a": 2, "b": "late"}\n');
    const jsonl = await readColumns(join(dir, 'x.jsonl'));
    expect(jsonl.columns.get('b')?.texts()).toEqual(['late']);
    expect(jsonl.columns.get('b')?.missing).toBe(1);
  });
  it('refuses a header that names a column twice', async () => {
    writeFileSync(join(dir, 'twice.csv'), 'a,b,a\n1,2,3\n');
    await expect(readColumns(join(dir, 'twice.csv'))).rejects.toThrow(
      /twice\.csv:1: the header names 'a' \(columns \d, \d\) more than once/,
    );
  });
  it('reports rows with the wrong number of fields at their line', async () => {
    writeFileSync(join(dir, 'bad.csv'), 'a,b\n1,2\n3\n');
    await expect(readColumns(join(dir, 'bad.csv'))).rejects.toThrow(/wrong number of fields/);
  });
});

describe('plain decimals', () => {
  it('parse to exactly the double Number() gives, or NaN for anything else', async () => {
    const { parsePlainDecimal } = await import('./column-accumulator.js');
    const random = (await import('../core/random.js')).seededRandom(3);
    for (let k = 0; k < 20000; k += 1) {
      const digits = 1 + Math.floor(random() * 15);
      let text = Array.from({ length: digits }, () => Math.floor(random() * 10)).join('');
      const point = Math.floor(random() * (digits + 1));
      if (random() < 0.7) text = `${text.slice(0, point)}.${text.slice(point)}`;
      if (random() < 0.3) text = `-${text}`;
      const parsed = parsePlainDecimal(text);
      expect(Object.is(parsed, Number(text)) || (Number.isNaN(parsed) && Number.isFinite(Number(text)) === false)).toBe(
        true,
      );
    }
    for (const text of ['', '-', '.', '-.', '1e5', '1,5', '0x10', '12a', '1.2.3', '1234567890123456'])
      expect(parsePlainDecimal(text)).toBeNaN();
    expect(parsePlainDecimal('-0.5')).toBe(-0.5);
    expect(parsePlainDecimal('.5')).toBe(0.5);
    expect(parsePlainDecimal('5.')).toBe(5);
  });
});
