import { usageError } from '../core/errors.js';
import { averageRanks } from './ranks.js';
import { binomialCdfAt, chiSquareSf, normalSf, tSf } from './distributions.js';
import { sampleMeanVariance } from './standard-errors.js';

/** The result of a two-sided test: its statistic and p-value (and degrees of freedom where they apply). */
export interface TestResult {
  statistic: number;
  pValue: number;
  df?: number;
}

/** Welch's t-test for two independent samples with unequal variances (scipy's `ttest_ind(equal_var=False)`), two-sided. */
export function welchTTest(a: ArrayLike<number>, b: ArrayLike<number>): TestResult {
  if (a.length < 2 || b.length < 2)
    throw usageError(
      'SAMPLE_TOO_SMALL',
      "Welch's t-test needs at least two values in each sample",
      'collect more observations',
    );
  const x = sampleMeanVariance(a);
  const y = sampleMeanVariance(b);
  const va = x.variance / a.length;
  const vb = y.variance / b.length;
  const statistic = (x.mean - y.mean) / Math.sqrt(va + vb);
  const df = (va + vb) ** 2 / (va ** 2 / (a.length - 1) + vb ** 2 / (b.length - 1));
  return {
    statistic,
    df,
    pValue: Number.isNaN(statistic) ? Number.NaN : Math.min(1, 2 * tSf(Math.abs(statistic), df)),
  };
}

/** Number of ways to reach each U value, for the exact Mann–Whitney distribution without ties. */
function mannWhitneyCounts(n1: number, n2: number): Float64Array {
  // counts[i][j][u] by the recurrence f(i, j, u) = f(i − 1, j, u − j) + f(i, j − 1, u), rolled over i.
  const max = n1 * n2;
  let previous: Float64Array[] = Array.from({ length: n2 + 1 }, () => Float64Array.of(1));
  for (let i = 1; i <= n1; i += 1) {
    const current: Float64Array[] = [Float64Array.of(1)];
    for (let j = 1; j <= n2; j += 1) {
      const row = new Float64Array(i * j + 1);
      const fromI = previous[j] as Float64Array;
      const fromJ = current[j - 1] as Float64Array;
      for (let u = 0; u <= i * j; u += 1)
        row[u] =
          (u - j >= 0 && u - j < fromI.length ? (fromI[u - j] as number) : 0) +
          (u < fromJ.length ? (fromJ[u] as number) : 0);
      current.push(row);
    }
    previous = current;
  }
  const counts = previous[n2] as Float64Array;
  return counts.length === max + 1 ? counts : Float64Array.of(1);
}

/**
 * Mann–Whitney U test, two-sided, as scipy's `mannwhitneyu` (method 'auto'): exact when both samples have fewer
 * than 8 values and there are no ties, else the normal approximation with tie correction and continuity
 * correction. The statistic is U of the first sample.
 */
export function mannWhitneyU(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
): TestResult & { method: 'exact' | 'asymptotic' } {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0)
    throw usageError(
      'SAMPLE_TOO_SMALL',
      'the Mann–Whitney test needs at least one value in each sample',
      'collect more observations',
    );
  const combined = Float64Array.from({ length: n1 + n2 }, (_, i) =>
    i < n1 ? (a[i] as number) : (b[i - n1] as number),
  );
  const ranks = averageRanks(combined);
  let r1 = 0;
  for (let i = 0; i < n1; i += 1) r1 += ranks[i] as number;
  const u1 = r1 - (n1 * (n1 + 1)) / 2;
  const u2 = n1 * n2 - u1;
  const u = Math.max(u1, u2);
  const sorted = Float64Array.from(combined).sort();
  let tieTerm = 0;
  for (let i = 0; i < sorted.length;) {
    let j = i + 1;
    while (j < sorted.length && sorted[j] === sorted[i]) j += 1;
    const t = j - i;
    tieTerm += t ** 3 - t;
    i = j;
  }
  if (n1 < 8 && n2 < 8 && tieTerm === 0) {
    const counts = mannWhitneyCounts(n1, n2);
    const total = counts.reduce((s, c) => s + c, 0);
    let upper = 0;
    for (let k = Math.round(u); k < counts.length; k += 1) upper += counts[k] as number;
    return { statistic: u1, pValue: Math.min(1, (2 * upper) / total), method: 'exact' };
  }
  const n = n1 + n2;
  const sigma = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
  const z = (u - (n1 * n2) / 2 - 0.5) / sigma;
  return { statistic: u1, pValue: Math.min(1, Math.max(0, 2 * normalSf(z))), method: 'asymptotic' };
}

/**
 * McNemar's test on the discordant pairs of two systems scored on the same cases: `onlyA` cases A got right and B
 * wrong, `onlyB` the reverse. Exact: two-sided binomial test of min(b, c) in b + c at ½. Chi-square: with
 * continuity correction, 1 degree of freedom (statsmodels' `mcnemar`).
 */
export function mcNemar(onlyA: number, onlyB: number, method: 'exact' | 'chi-square' = 'exact'): TestResult {
  const discordant = onlyA + onlyB;
  if (method === 'exact') {
    const statistic = Math.min(onlyA, onlyB);
    return { statistic, pValue: discordant === 0 ? 1 : Math.min(1, 2 * binomialCdfAt(statistic, discordant, 0.5)) };
  }
  const statistic = (Math.abs(onlyA - onlyB) - 1) ** 2 / discordant;
  return { statistic, df: 1, pValue: discordant === 0 ? Number.NaN : chiSquareSf(statistic, 1) };
}

/** Holm's step-down adjusted p-values (family-wise error control), in the input order. */
export function holmAdjust(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => [p, i] as const).sort((x, y) => x[0] - y[0]);
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach(([p, index], rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[index] = running;
  });
  return adjusted;
}

/** Benjamini–Hochberg adjusted p-values (false-discovery-rate control), in the input order. */
export function benjaminiHochbergAdjust(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => [p, i] as const).sort((x, y) => x[0] - y[0]);
  const adjusted = new Array<number>(m);
  let running = 1;
  for (let rank = m - 1; rank >= 0; rank -= 1) {
    const [p, index] = order[rank] as readonly [number, number];
    running = Math.min(running, (p * m) / (rank + 1));
    adjusted[index] = Math.min(1, running);
  }
  return adjusted;
}
