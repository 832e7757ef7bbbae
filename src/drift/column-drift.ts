import { ksTwoSample } from '../stats/ks-two-sample.js';
import {
  binnedCounts,
  chiSquareContingency,
  cramersV,
  hellingerDistance,
  jensenShannonDistance,
  normalizedWasserstein,
  populationStabilityIndex,
  twoProportionZTest,
} from '../stats/distribution-tests.js';
import { cohensH } from '../stats/sample-size.js';
import type { ColumnType, ColumnValues } from '../data/column-types.js';

export const DRIFT_TESTS = ['ks', 'chi2', 'z', 'psi', 'js', 'wasserstein', 'hellinger', 'cramer-v'] as const;
export type DriftTest = (typeof DRIFT_TESTS)[number];

/** Tests that give a p-value; the others give a distance compared with a threshold. */
const P_VALUE_TESTS: ReadonlySet<DriftTest> = new Set(['ks', 'chi2', 'z']);

/** Default threshold per test: the p-value below which, or the distance from which, a column counts as drifted. */
export const DEFAULT_THRESHOLDS: Readonly<Record<DriftTest, number>> = {
  ks: 0.05,
  chi2: 0.05,
  z: 0.05,
  psi: 0.1,
  js: 0.1,
  wasserstein: 0.1,
  hellinger: 0.1,
  'cramer-v': 0.1,
};

/**
 * The smallest effect a p-value test must also show to count as drift: with a million rows a p-value is tiny for a
 * shift nobody cares about. KS: D ≥ 0.1; chi-square: Cramér's V ≥ 0.1; z-test: |Cohen's h| ≥ 0.2 (a "small" effect).
 */
export const MIN_EFFECT: Readonly<Record<'ks' | 'chi2' | 'z', number>> = { ks: 0.1, chi2: 0.1, z: 0.2 };

/** Reference samples up to this size get statistical tests; larger ones distances (Evidently's rule). */
export const SMALL_REFERENCE = 1000;
/** Categories kept per column; rarer ones are pooled into one "other" category (and the column says so). */
export const MAX_CATEGORIES = 100;

/**
 * The test Evidently picks by default: for a reference of at most 1,000 values, KS for numeric columns with more
 * than 5 distinct values, a z-test for binary columns, chi-square otherwise; for larger references, the Wasserstein
 * distance in reference standard deviations for numeric columns with more than 5 distinct values and the
 * Jensen–Shannon distance otherwise.
 */
export function defaultTest(type: ColumnType, referenceSize: number, distinct: number): DriftTest {
  const numeric = (type === 'numeric' || type === 'datetime') && distinct > 5;
  if (referenceSize <= SMALL_REFERENCE) {
    if (numeric) return 'ks';
    return distinct <= 2 ? 'z' : 'chi2';
  }
  return numeric ? 'wasserstein' : 'js';
}

export interface ColumnDriftResult {
  test: DriftTest;
  statistic: number;
  pValue: number | null;
  /** KS D, Cramér's V, Cohen's h, or the distance itself. */
  effectSize: number;
  threshold: number;
  drifted: boolean;
  notes: string[];
}

/** Category counts of both sides over a shared category list: the most frequent `MAX_CATEGORIES`, the rest pooled. */
export function categoryCounts(
  reference: ReadonlyMap<string, number>,
  current: ReadonlyMap<string, number>,
): { categories: string[]; reference: number[]; current: number[]; pooled: number } {
  const totals = new Map<string, number>(reference);
  for (const [v, n] of current) totals.set(v, (totals.get(v) ?? 0) + n);
  const ranked = [...totals.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([k]) => k);
  const kept = ranked.length > MAX_CATEGORIES ? ranked.slice(0, MAX_CATEGORIES - 1) : ranked;
  const index = new Map(kept.map((k, i) => [k, i]));
  const pooled = ranked.length - kept.length;
  const width = kept.length + (pooled > 0 ? 1 : 0);
  const count = (values: ReadonlyMap<string, number>): number[] => {
    const out = new Array<number>(width).fill(0);
    for (const [v, n] of values) {
      const i = index.get(v) ?? kept.length;
      out[i] = (out[i] ?? 0) + n;
    }
    return out;
  };
  return {
    categories: pooled > 0 ? [...kept, '(other)'] : kept,
    reference: count(reference),
    current: count(current),
    pooled,
  };
}

/** Counts of a numeric sample's values (for categorical tests on numbers). */
function numberCounts(values: Float64Array): Map<string, number> {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(String(v), (counts.get(String(v)) ?? 0) + 1);
  return counts;
}

/** Numeric columns with at most this many distinct values over both sides are counted by value, not binned. */
export const FEW_NUMERIC_VALUES = 5;

/** Whether the two sides together hold at most `FEW_NUMERIC_VALUES` distinct numbers. */
function fewValues(reference: Float64Array, current: Float64Array): boolean {
  const seen = new Set<number>();
  for (const side of [reference, current])
    for (const v of side) {
      seen.add(v);
      if (seen.size > FEW_NUMERIC_VALUES) return false;
    }
  return true;
}

function shares(
  values: ColumnValues,
  numeric: boolean,
  other: ColumnValues,
  bins: number,
): { reference: ArrayLike<number>; current: ArrayLike<number>; notes: string[] } {
  if (numeric && fewValues(values.numbers, other.numbers)) {
    const counted = categoryCounts(numberCounts(values.numbers), numberCounts(other.numbers));
    return {
      reference: counted.reference,
      current: counted.current,
      notes: ['counted by value (5 or fewer distinct numbers)'],
    };
  }
  if (numeric) {
    const binned = binnedCounts(values.numbers, other.numbers, bins);
    return { reference: binned.reference, current: binned.current, notes: [] };
  }
  const counted = categoryCounts(values.counts, other.counts);
  return {
    reference: counted.reference,
    current: counted.current,
    notes: counted.pooled > 0 ? [`${counted.pooled + 1} rarest categories pooled into "(other)"`] : [],
  };
}

/** Drops categories empty on both sides so the contingency table has no zero column. */
function contingency(reference: readonly number[], current: readonly number[]): number[][] {
  const keep = reference.map((r, i) => r + (current[i] ?? 0) > 0);
  return [reference.filter((_, i) => keep[i]), current.filter((_, i) => keep[i])];
}

/** Runs one drift test on a column's two sides and applies the verdict rule (significance and a minimum effect, or a distance threshold). */
export function columnDrift(
  reference: ColumnValues,
  current: ColumnValues,
  type: ColumnType,
  test: DriftTest,
  threshold: number,
): ColumnDriftResult {
  const numeric = type === 'numeric' || type === 'datetime';
  const notes: string[] = [];
  let statistic: number;
  let pValue: number | null = null;
  let effectSize: number;
  if (test === 'ks' || test === 'wasserstein') {
    if (!numeric) throw new Error(`${test} needs a numeric column; this one is ${type}`);
    if (test === 'ks') {
      const r = ksTwoSample(reference.numbers, current.numbers);
      statistic = r.statistic;
      pValue = r.pValue;
      effectSize = r.statistic;
      notes.push(`KS ${r.method}`);
    } else {
      statistic = normalizedWasserstein(reference.numbers, current.numbers);
      effectSize = statistic;
      if (!Number.isFinite(statistic)) notes.push('the reference is constant: the distance has no scale');
    }
  } else if (test === 'z') {
    const {
      categories,
      reference: r,
      current: c,
    } = categoryCounts(
      numeric ? numberCounts(reference.numbers) : reference.counts,
      numeric ? numberCounts(current.numbers) : current.counts,
    );
    if (categories.length > 2)
      throw new Error(`the z-test compares two categories; this column has ${categories.length}`);
    const rs = r[0] ?? 0;
    const cs = c[0] ?? 0;
    const result = twoProportionZTest(rs, reference.size, cs, current.size);
    statistic = result.statistic;
    pValue = Number.isNaN(result.pValue) ? 1 : result.pValue;
    effectSize = Math.abs(cohensH(rs / Math.max(1, reference.size), cs / Math.max(1, current.size)));
    notes.push(
      `share of '${categories[0] ?? ''}': reference ${(rs / Math.max(1, reference.size)).toFixed(3)}, current ${(cs / Math.max(1, current.size)).toFixed(3)}`,
    );
  } else {
    const s = shares(reference, numeric, current, 10);
    notes.push(...s.notes);
    if (test === 'chi2' || test === 'cramer-v') {
      const table = contingency(Array.from(s.reference), Array.from(s.current));
      if ((table[0]?.length ?? 0) < 2) {
        statistic = 0;
        pValue = 1;
        effectSize = 0;
        notes.push('one category on both sides: nothing to compare');
      } else {
        const chi = chiSquareContingency(table);
        const v = cramersV(table);
        statistic = test === 'chi2' ? chi.statistic : v;
        pValue = chi.pValue;
        effectSize = v;
      }
    } else {
      statistic =
        test === 'psi'
          ? populationStabilityIndex(s.reference, s.current)
          : test === 'js'
            ? jensenShannonDistance(s.reference, s.current)
            : hellingerDistance(s.reference, s.current);
      effectSize = statistic;
    }
  }
  let drifted: boolean;
  if (test === 'ks' || test === 'chi2' || test === 'z')
    drifted = pValue !== null && pValue < threshold && effectSize >= MIN_EFFECT[test];
  else drifted = Number.isFinite(statistic) && statistic >= threshold;
  return {
    test,
    statistic,
    pValue: P_VALUE_TESTS.has(test) || test === 'cramer-v' ? pValue : null,
    effectSize,
    threshold,
    drifted,
    notes,
  };
}
