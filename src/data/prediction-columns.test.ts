import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mergeLabelColumns, PredictionTable } from './prediction-columns.js';

const dir = mkdtempSync(join(tmpdir(), 'ys-predictions-'));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('the predictions table', () => {
  it('reads only the named columns, drops rows with a missing value when asked, and keeps each row’s line', async () => {
    const path = file('p.csv', 'id,y,p,other\n1,a,a,x\n2,,b,x\n3,b,"b",x\n4,c,NULL,x\n5,b,a,x\n');
    await expect(PredictionTable.read(path, { truth: 'y', prediction: 'p', score: null }, false)).rejects.toThrow(
      /2 rows with missing values/,
    );
    const table = await PredictionTable.read(path, { truth: 'y', prediction: 'p', score: null }, true);
    expect([table.n, table.dropped]).toEqual([3, 2]);
    expect([0, 1, 2].map((k) => table.lineOf(k))).toEqual([2, 4, 6]);
    expect(table.available).toEqual(['id', 'y', 'p', 'other']);
    const encoded = mergeLabelColumns(table.textLabels('y'), table.textLabels('p'));
    expect(encoded.labels).toEqual(['a', 'b']);
    expect(Array.from(encoded.trueCodes)).toEqual([0, 1, 1]);
    expect(Array.from(encoded.predCodes)).toEqual([0, 1, 0]);
  });

  it('labels numbers in sorted order, stops counting past a cap, and names the line of a value that is not a number', async () => {
    const path = file('n.csv', 'y,p\n10,2\n2,2\n10,10\n-1,2\n');
    const table = await PredictionTable.read(path, { truth: 'y', prediction: 'p', score: null }, false);
    expect(table.numberLabels('y', 2)).toBeNull();
    const encoded = mergeLabelColumns(table.numberLabels('y'), table.numberLabels('p'));
    expect(encoded.labels).toEqual([-1, 2, 10]);
    expect(Array.from(encoded.trueCodes)).toEqual([2, 1, 2, 0]);
    expect(table.isWhole('y')).toBe(true);
    const mixed = file('m.csv', 'y,p\n1,1.5\n2,two\n');
    const other = await PredictionTable.read(mixed, { truth: 'y', prediction: 'p', score: null }, false);
    expect(() => other.numbers('p')).toThrow(/must be numeric/);
    try {
      other.numbers('p');
    } catch (error) {
      expect(JSON.stringify(error)).toContain(`${mixed}:3`);
    }
  });

  it('reads JSONL the same way, numbers and texts mixed in one column becoming text labels', async () => {
    const path = file('p.jsonl', '{"y": 1, "p": "1"}\n{"y": "cat", "p": 1}\n');
    const table = await PredictionTable.read(path, { truth: 'y', prediction: 'p', score: null }, false);
    expect(table.isNumeric('y')).toBe(false);
    expect(mergeLabelColumns(table.textLabels('y'), table.textLabels('p')).labels).toEqual(['1', 'cat']);
  });
});
