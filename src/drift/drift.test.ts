import { describe, expect, it } from 'vitest';
import { categoryCounts, columnDrift, defaultTest, MAX_CATEGORIES } from './column-drift.js';
import { ColumnAccumulator } from '../data/column-accumulator.js';
import { inferType, numericValues, sideValues } from '../data/column-types.js';
import { datasetVerdict } from './dataset-verdict.js';
import { textDrift } from './text-drift.js';

function side(values: readonly unknown[]): ColumnAccumulator {
  const accumulator = new ColumnAccumulator();
  for (const v of values) accumulator.add(v);
  return accumulator;
}

describe('column types', () => {
  it.each([
    [[1, 2.5, '3', 4], 'numeric'],
    [['0', '1', 1, ''], 'boolean'],
    [['yes', 'no', 'Yes'], 'boolean'],
    [['2026-01-02', '2026-01-03T10:00:00Z'], 'datetime'],
    [['DE', 'FR', 'DE'], 'categorical'],
    [['the login page is slow', 'refunds take a week now', 'great support team here'], 'text'],
  ] as const)('%j is %s', (values, type) => expect(inferType([side(values)]).type).toBe(type));
  it('a mostly numeric column is mixed and analysed as categorical', () => {
    expect(inferType([side(['1', '2', '3', 'n/a-ish'])])).toMatchObject({ type: 'categorical', mixedShare: 0.75 });
  });
  it('counts missing values and leaves them out', () => {
    const v = sideValues(side([1, '', 'NA', null, '2', 'x']), 'numeric');
    expect(Array.from(v.numbers)).toEqual([1, 2]);
    expect(v.missing).toBe(4);
  });
  it('reads booleans written as words or as 0/1 the same way', () => {
    expect(sideValues(side(['yes', 'No', 1, '0']), 'boolean').counts).toEqual(
      new Map([
        ['true', 2],
        ['false', 2],
      ]),
    );
  });
});

describe("Evidently's default test", () => {
  it.each([
    ['numeric', 1000, 6, 'ks'],
    ['numeric', 1000, 5, 'chi2'],
    ['categorical', 500, 2, 'z'],
    ['categorical', 500, 3, 'chi2'],
    ['numeric', 1001, 6, 'wasserstein'],
    ['numeric', 1001, 4, 'js'],
    ['boolean', 5000, 2, 'js'],
  ] as const)('%s, reference %d, %d distinct → %s', (type, size, distinct, test) =>
    expect(defaultTest(type, size, distinct)).toBe(test),
  );
});

describe('verdicts', () => {
  const side = (numbers: number[]) => numericValues(Float64Array.from(numbers), 0, numbers.length);
  it('a significant KS with a small D is not drift; a distance at its threshold is', () => {
    const a = side(Array.from({ length: 4000 }, (_, i) => i / 4000));
    const b = side(Array.from({ length: 4000 }, (_, i) => i / 4000 + 0.05));
    const ks = columnDrift(a, b, 'numeric', 'ks', 0.05);
    expect(ks.pValue).toBeLessThan(0.001);
    expect(ks.effectSize).toBeCloseTo(0.05, 3);
    expect(ks.drifted).toBe(false);
    const far = columnDrift(a, side(Array.from({ length: 4000 }, (_, i) => i / 4000 + 0.3)), 'numeric', 'ks', 0.05);
    expect(far.drifted).toBe(true);
  });
  it('pools the rarest categories into (other)', () => {
    const many = Array.from({ length: 500 }, (_, i) => `id${i}`);
    const counts = (values: string[]) => new Map(values.map((v) => [v, 1]));
    const counted = categoryCounts(counts(many), counts(many.slice(0, 10)));
    expect(counted.categories).toHaveLength(MAX_CATEGORIES);
    expect(counted.categories.at(-1)).toBe('(other)');
    expect(counted.reference.reduce((a, b) => a + b, 0)).toBe(500);
  });
  it('dataset: share rule, and adjusted p-values under Bonferroni and BH', () => {
    const cols = [
      { test: 'ks', pValue: 0.01, effectSize: 0.3, threshold: 0.05, drifted: true },
      { test: 'chi2', pValue: 0.04, effectSize: 0.2, threshold: 0.05, drifted: true },
      { test: 'js', pValue: null, effectSize: 0.05, threshold: 0.1, drifted: false },
    ];
    expect(datasetVerdict(cols, 'share', 0.5)).toMatchObject({ driftedShare: 2 / 3, drifted: true });
    const bonferroni = datasetVerdict(cols, 'bonferroni', 0.5);
    expect(bonferroni.adjusted).toEqual([0.02, 0.08, null]);
    expect(bonferroni.columns).toEqual([true, false, false]);
    expect(datasetVerdict(cols, 'bh', 0.5).adjusted).toEqual([0.02, 0.04, null]);
  });
  it('text: the out-of-vocabulary rate counts current words never seen in the reference', () => {
    const text = (texts: string[]) => ({
      numbers: new Float64Array(),
      counts: new Map<string, number>(),
      texts,
      size: texts.length,
      missing: 0,
      rows: texts.length,
    });
    const ref = text(['the cat sat', 'the dog ran']);
    const cur = text(['the bird flew', 'a cat sat']);
    const drift = textDrift(ref, cur);
    expect(drift.outOfVocabularyRate).toBeCloseTo(3 / 6, 12);
    expect(drift.referenceVocabulary).toBe(5);
    expect(drift.vocabularyDistance).toBeGreaterThan(0);
  });
});

describe('numeric columns with few values', () => {
  it('are counted by value, not binned: the repro where 10 equal-width bins hid a shift (scipy chi2_contingency)', () => {
    const reference = numericValues(
      Float64Array.from([...Array<number>(10).fill(0), ...Array<number>(10).fill(0.01), ...Array<number>(10).fill(10)]),
      0,
      30,
    );
    const current = numericValues(
      Float64Array.from([...Array<number>(20).fill(0), ...Array<number>(10).fill(10)]),
      0,
      30,
    );
    const chi = columnDrift(reference, current, 'numeric', 'chi2', 0.05);
    expect(chi.statistic).toBeCloseTo(13.333333333333334, 9);
    expect(chi.pValue).toBeCloseTo(0.0012726338013398079, 12);
    expect(chi.effectSize).toBeCloseTo(0.4714045207910317, 9);
    expect(chi.drifted).toBe(true);
    expect(chi.notes).toContain('counted by value (5 or fewer distinct numbers)');
    // Six distinct values are binned as before.
    const six = numericValues(Float64Array.from([0, 1, 2, 3, 4, 5]), 0, 6);
    expect(columnDrift(six, six, 'numeric', 'chi2', 0.05).notes).not.toContain(
      'counted by value (5 or fewer distinct numbers)',
    );
  });
});
