import { usageError } from '../core/errors.js';
import type { TestResult } from './comparisons.js';
import { chiSquareSf, normalSf } from './distributions.js';
import { sortFloat64 } from './sort-float64.js';

/** Effect sizes and tests for comparing two distributions (reference and current), the building blocks of drift checks. */

function normalized(weights: ArrayLike<number>): Float64Array {
  let sum = 0;
  for (let i = 0; i < weights.length; i += 1) {
    const w = weights[i] as number;
    if (!(w >= 0))
      throw usageError(
        'DISTRIBUTION_NEGATIVE',
        `weight ${w} at position ${i + 1} is negative or not a number`,
        'give counts or probabilities',
      );
    sum += w;
  }
  if (sum === 0)
    throw usageError('DISTRIBUTION_EMPTY', 'a distribution has no mass', 'give at least one positive count');
  return Float64Array.from({ length: weights.length }, (_, i) => (weights[i] as number) / sum);
}

function checkSameLength(p: ArrayLike<number>, q: ArrayLike<number>): void {
  if (p.length !== q.length)
    throw usageError(
      'DISTRIBUTION_LENGTH',
      `distributions over ${p.length} and ${q.length} categories`,
      'use the same categories, in the same order, for both',
    );
}

/** Jensen–Shannon distance (the square root of the divergence, natural log), as scipy's `jensenshannon`; inputs are normalized. */
export function jensenShannonDistance(p: ArrayLike<number>, q: ArrayLike<number>): number {
  checkSameLength(p, q);
  const a = normalized(p);
  const b = normalized(q);
  let divergence = 0;
  for (let i = 0; i < a.length; i += 1) {
    const x = a[i] as number;
    const y = b[i] as number;
    const m = (x + y) / 2;
    if (x > 0) divergence += x * Math.log(x / m);
    if (y > 0) divergence += y * Math.log(y / m);
  }
  return Math.sqrt(Math.max(0, divergence / 2));
}

/** Hellinger distance, (1/√2)·‖√p − √q‖₂, in [0, 1]; inputs are normalized. */
export function hellingerDistance(p: ArrayLike<number>, q: ArrayLike<number>): number {
  checkSameLength(p, q);
  const a = normalized(p);
  const b = normalized(q);
  let sum = 0;
  for (let i = 0; i < a.length; i += 1) sum += (Math.sqrt(a[i] as number) - Math.sqrt(b[i] as number)) ** 2;
  return Math.sqrt(sum / 2);
}

/** First Wasserstein (earth mover's) distance between two samples, as scipy's `wasserstein_distance`: ∫|F_u − F_v|, walking the two sorted samples together. */
export function wassersteinDistance(u: ArrayLike<number>, v: ArrayLike<number>): number {
  if (u.length === 0 || v.length === 0)
    throw usageError(
      'SAMPLE_TOO_SMALL',
      'the Wasserstein distance needs values in both samples',
      'collect more observations',
    );
  const a = sortFloat64(Float64Array.from(u));
  const b = sortFloat64(Float64Array.from(v));
  let i = 0;
  let j = 0;
  let distance = 0;
  let x = Math.min(a[0] as number, b[0] as number);
  while (i < a.length || j < b.length) {
    while (i < a.length && (a[i] as number) <= x) i += 1;
    while (j < b.length && (b[j] as number) <= x) j += 1;
    if (i === a.length && j === b.length) break;
    const next = Math.min(i < a.length ? (a[i] as number) : Infinity, j < b.length ? (b[j] as number) : Infinity);
    distance += Math.abs(i / a.length - j / b.length) * (next - x);
    x = next;
  }
  return distance;
}

/** Wasserstein distance divided by the reference sample's standard deviation (ddof 0), so it reads in reference SDs. */
export function normalizedWasserstein(reference: ArrayLike<number>, current: ArrayLike<number>): number {
  let mean = 0;
  for (let i = 0; i < reference.length; i += 1) mean += (reference[i] as number) / reference.length;
  let variance = 0;
  for (let i = 0; i < reference.length; i += 1) variance += ((reference[i] as number) - mean) ** 2 / reference.length;
  return wassersteinDistance(reference, current) / Math.sqrt(variance);
}

export interface ContingencyResult extends TestResult {
  df: number;
  expected: number[][];
}

/**
 * Chi-square test of independence on a contingency table (rows × columns of counts), as scipy's
 * `chi2_contingency`: Yates' continuity correction when there is one degree of freedom (`correction`, default on).
 */
export function chiSquareContingency(table: readonly (readonly number[])[], correction = true): ContingencyResult {
  const rows = table.length;
  const cols = table[0]?.length ?? 0;
  if (rows === 0 || cols === 0 || table.some((r) => r.length !== cols))
    throw usageError('TABLE_SHAPE', 'a contingency table needs rows of equal length', 'give counts as rows × columns');
  const rowSums = table.map((r) => r.reduce((a, b) => a + b, 0));
  const colSums = Array.from({ length: cols }, (_, c) => table.reduce((s, r) => s + (r[c] as number), 0));
  const total = rowSums.reduce((a, b) => a + b, 0);
  const expected = table.map((_, r) => colSums.map((c) => ((rowSums[r] as number) * c) / total));
  if (expected.some((r) => r.some((e) => e === 0)))
    throw usageError(
      'TABLE_ZERO_EXPECTED',
      'a row or column of the table is all zeros',
      'drop empty categories before testing',
    );
  const df = expected.length * cols - expected.length - cols + 1;
  if (df === 0) return { statistic: 0, pValue: 1, df, expected };
  let statistic = 0;
  table.forEach((row, r) =>
    row.forEach((observed, c) => {
      const e = (expected[r] as number[])[c] as number;
      const raw = observed - e;
      // Yates: move each count half a unit toward its expectation, never past it.
      const diff = correction && df === 1 ? raw - Math.sign(raw) * Math.min(0.5, Math.abs(raw)) : raw;
      statistic += (diff * diff) / e;
    }),
  );
  return { statistic, pValue: chiSquareSf(statistic, df), df, expected };
}

/** Cramér's V of a contingency table (no continuity correction), as scipy's `contingency.association(method='cramer')`. */
export function cramersV(table: readonly (readonly number[])[]): number {
  const { statistic } = chiSquareContingency(table, false);
  const total = table.reduce((s, r) => s + r.reduce((a, b) => a + b, 0), 0);
  const k = Math.min(table.length, table[0]?.length ?? 0);
  return Math.sqrt(statistic / (total * (k - 1)));
}

/** Chi-square goodness of fit of observed counts to expected counts (same total), df = k − 1, as scipy's `chisquare`. */
export function chiSquareGoodnessOfFit(
  observed: readonly number[],
  expected: readonly number[],
): TestResult & { df: number } {
  if (observed.length !== expected.length || observed.length < 2)
    throw usageError(
      'TABLE_SHAPE',
      'goodness of fit needs at least two categories, as many expected as observed',
      'give one expected count per category',
    );
  let statistic = 0;
  observed.forEach((o, i) => {
    const e = expected[i] as number;
    if (!(e > 0))
      throw usageError(
        'TABLE_ZERO_EXPECTED',
        `expected count ${e} in category ${i + 1} is not positive`,
        'every category needs a positive expected share',
      );
    statistic += (o - e) ** 2 / e;
  });
  const df = observed.length - 1;
  return { statistic, pValue: chiSquareSf(statistic, df), df };
}

/** Two-proportion z-test with the pooled proportion, two-sided (statsmodels' `proportions_ztest`). */
export function twoProportionZTest(
  successesA: number,
  trialsA: number,
  successesB: number,
  trialsB: number,
): TestResult {
  const pooled = (successesA + successesB) / (trialsA + trialsB);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / trialsA + 1 / trialsB));
  const statistic = (successesA / trialsA - successesB / trialsB) / se;
  return { statistic, pValue: 2 * normalSf(Math.abs(statistic)) };
}

/** The share an empty bin of PSI takes instead of 0, so that one empty bin does not make the index infinite. */
const PSI_EMPTY_SHARE = 1e-4;

/**
 * Shares with the empty ones filled as Evidently fills them: 0.0001, or the smallest non-zero share divided by 10⁶
 * when that share is itself 0.0001 or less (so the filler stays below every real share). Other shares are kept.
 */
function filledShares(counts: ArrayLike<number>): Float64Array {
  const shares = normalized(counts);
  let smallest = Infinity;
  for (const share of shares) if (share > 0 && share < smallest) smallest = share;
  const filler = smallest <= PSI_EMPTY_SHARE ? smallest / 1e6 : PSI_EMPTY_SHARE;
  return shares.map((share) => (share === 0 ? filler : share));
}

/**
 * Population stability index, Σ (cᵢ − rᵢ)·ln(cᵢ/rᵢ), over the shares of the same bins or categories in the
 * reference (r) and current (c) data; only empty shares are filled (`filledShares`). Conventionally < 0.1 is a
 * negligible shift, 0.1–0.25 a moderate one, > 0.25 a major one.
 */
export function populationStabilityIndex(reference: ArrayLike<number>, current: ArrayLike<number>): number {
  checkSameLength(reference, current);
  const r = filledShares(reference);
  const c = filledShares(current);
  let psi = 0;
  for (let i = 0; i < r.length; i += 1) {
    const ri = r[i] as number;
    const ci = c[i] as number;
    psi += (ci - ri) * Math.log(ci / ri);
  }
  return psi;
}

/** Counts of two numeric samples over `bins` equal-width bins spanning the reference's range (values outside go to the end bins). */
export function binnedCounts(
  reference: ArrayLike<number>,
  current: ArrayLike<number>,
  bins = 10,
): { reference: Float64Array; current: Float64Array } {
  let low = Infinity;
  let high = -Infinity;
  for (let i = 0; i < reference.length; i += 1) {
    low = Math.min(low, reference[i] as number);
    high = Math.max(high, reference[i] as number);
  }
  const width = high > low ? (high - low) / bins : 1;
  const count = (values: ArrayLike<number>): Float64Array => {
    const out = new Float64Array(bins);
    for (let i = 0; i < values.length; i += 1) {
      const bin = Math.min(bins - 1, Math.max(0, Math.floor(((values[i] as number) - low) / width)));
      out[bin] = (out[bin] as number) + 1;
    }
    return out;
  };
  return { reference: count(reference), current: count(current) };
}
