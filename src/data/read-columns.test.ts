import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../core/random.js';
import { plainDecimalAt, readDelimitedColumns } from './delimited-reader.js';
import { readColumns } from './read-columns.js';

const LINES = ['a,b,c', '1,"x, y",3', '"multi\nline","say ""hi""",', '4,plain "quote,6', '"",,"end"'];
const SAMPLE = `${LINES.join('\n')}\n`;
const CRLF = `${LINES.join('\r\n')}\r\n`;

/** Every field of every record, as text, reading `text` in chunks of `chunkBytes` bytes. */
async function readAll(dir: string, text: string, chunkBytes: number): Promise<string[][]> {
  const path = join(dir, `sample-${chunkBytes}.csv`);
  writeFileSync(path, text);
  const table = await readDelimitedColumns(path, ',', { only: null, withLines: false, chunkBytes });
  const columns = table.names.map((name) => table.columns.get(name));
  const records: string[][] = [table.names];
  for (let row = 0; row < table.rows; row += 1) records.push(columns.map((c) => c?.textAt(row) ?? ''));
  return records;
}

describe('the CSV byte reader', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ys-bytes-'));
  it('reads what csv-parse reads, wherever the chunks split (quotes, doubled quotes, newlines in quotes, CRLF)', async () => {
    const expected: string[][] = parse(SAMPLE, { relax_quotes: true, relax_column_count: true });
    for (const chunk of [1, 2, 3, 5, 7, 11, 64]) expect(await readAll(dir, SAMPLE, chunk)).toEqual(expected);
    const expectedCrlf: string[][] = parse(CRLF, { relax_quotes: true, relax_column_count: true });
    expect(expectedCrlf).toEqual(expected);
    for (const chunk of [1, 2, 3, 5, 64]) expect(await readAll(dir, CRLF, chunk)).toEqual(expectedCrlf);
  });
  it('a last line without a newline still counts, and each row keeps the line it starts on', async () => {
    expect(await readAll(dir, 'a,b\n1,2', 3)).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    const path = join(dir, 'lines.csv');
    writeFileSync(path, 'a,b\n1,"two\nlines"\n\n3,4\n');
    const table = await readDelimitedColumns(path, ',', {
      only: (name) => name === 'b',
      withLines: true,
      chunkBytes: 4,
    });
    expect([table.lines?.at(0), table.lines?.at(1)]).toEqual([2, 5]);
    expect([...table.columns.keys()]).toEqual(['b']);
    expect(table.names).toEqual(['a', 'b']);
  });
  it('parses plain decimals from bytes to the double Number() gives', () => {
    const random = seededRandom(5);
    for (let k = 0; k < 5000; k += 1) {
      const text = `${random() < 0.3 ? '-' : ''}${Math.floor(random() * 1e6)}.${Math.floor(random() * 1e8)}`;
      expect(plainDecimalAt(Buffer.from(`,${text},`), 1, text.length + 1)).toBe(Number(text));
    }
    for (const text of ['-', '.', '1e5', '12a', '1.2.3', '1234567890123456'])
      expect(plainDecimalAt(Buffer.from(text), 0, text.length)).toBeNaN();
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
