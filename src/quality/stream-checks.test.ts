import { describe, expect, it } from 'vitest';
import { tableOfRows } from '../data/table-of-rows.js';
import { streamChecks } from './stream-checks.js';

const reference = tableOfRows(
  'reference.jsonl',
  Array.from({ length: 100 }, (_, i) => ({
    age: 20 + (i % 50),
    plan: i % 2 === 0 ? 'basic' : 'pro',
    prompt: `please summarize the report number ${i}${i % 3 === 0 ? ' briefly' : ''}`,
    note: i % 10 === 0 ? null : 'x',
  })),
);

describe('streamChecks', () => {
  it('finds nothing in a window like the reference', () => {
    const window = tableOfRows(
      'w',
      Array.from({ length: 40 }, (_, i) => ({
        age: 25 + (i % 40),
        plan: i % 3 === 0 ? 'pro' : 'basic',
        prompt: `please summarize the memo number ${i}`,
        note: i % 8 === 0 ? null : 'x',
      })),
    );
    expect(streamChecks(reference, window)).toEqual([]);
  });

  it('reports missing values beyond the reference, new categories, values out of range and texts of new lengths', () => {
    const window = tableOfRows(
      'w',
      Array.from({ length: 40 }, (_, i) => ({
        age: i < 10 ? 120 + i : 30,
        plan: i < 4 ? 'enterprise' : 'basic',
        prompt: i < 8 ? 'hi' : `please summarize the memo number ${i}`,
        note: i < 20 ? null : 'x',
      })),
    );
    const findings = streamChecks(reference, window);
    expect(findings.map((f) => [f.check, f.column, f.severity])).toEqual([
      ['out-of-range', 'age', 'warning'],
      ['new-categories', 'plan', 'warning'],
      ['text-length', 'prompt', 'warning'],
      ['missing', 'note', 'warning'],
    ]);
    expect(findings[0]?.details).toMatchObject({ below: 0, above: 10, share: 0.25, min: 20, max: 69 });
    expect(findings[1]?.message).toContain("'enterprise'");
    expect(findings[1]?.details).toMatchObject({ values: 1, rows: 4, share: 0.1 });
    expect(findings[2]?.details).toMatchObject({ shorter: 8, longer: 0, minWords: 6, maxWords: 7 });
    expect(findings[3]?.details).toMatchObject({ share: 0.5, reference: 0.1 });
  });

  it('a value or two past the reference range, as chance puts them there, is not reported', () => {
    const window = tableOfRows(
      'w',
      Array.from({ length: 100 }, (_, i) => ({
        age: i === 0 ? 70 : 30,
        plan: 'basic',
        prompt: 'a b c d e f',
        note: 'x',
      })),
    );
    expect(streamChecks(reference, window).filter((f) => f.check === 'out-of-range')).toEqual([]);
  });

  it('a column no live row has is an error', () => {
    const window = tableOfRows('w', [{ age: 30, plan: 'basic', prompt: 'please summarize the report number 3' }]);
    const findings = streamChecks(reference, window);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ check: 'missing', column: 'note', severity: 'error' });
  });
});
