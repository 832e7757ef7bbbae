import gammaln from '@stdlib/math-base-special-gammaln';
import { usageError } from '../core/errors.js';
import { kolmogorovNSf } from './kolmogorov-n.js';
import { sortFloat64 } from './sort-float64.js';

/** Above this sample size the exact distribution is too costly and the asymptotic one is used (scipy's choice too). */
const MAX_EXACT_N = 10_000;

export interface KsResult {
  statistic: number;
  pValue: number;
  method: 'exact' | 'asymptotic';
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** The largest gap between the two empirical CDFs, evaluated at every observed value (both sorted ascending). */
function ksStatistic(a: Float64Array, b: Float64Array): number {
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < a.length && j < b.length) {
    const x = Math.min(a[i] as number, b[j] as number);
    while (i < a.length && (a[i] as number) <= x) i += 1;
    while (j < b.length && (b[j] as number) <= x) j += 1;
    d = Math.max(d, Math.abs(i / a.length - j / b.length));
  }
  return d;
}

/**
 * P(D ≥ h·g/(m·n)) under the null for sample sizes m and n: the probability that a uniformly random lattice path
 * from (0, 0) to (m, n) leaves the band |i·n − j·m| < h·g. The path is walked as draws without replacement and the
 * mass that leaves the band is summed directly (never 1 − P(inside)), so small p-values keep their digits.
 */
function exactPValue(m: number, n: number, hg: number): number {
  // prob[j] holds the probability of being at (i, j) inside the band, for the current i.
  let prob = new Float64Array(n + 1);
  prob[0] = 1;
  let outside = 0;
  const inside = (i: number, j: number): boolean => Math.abs(i * n - j * m) < hg;
  for (let i = 0; i <= m; i += 1) {
    const next = new Float64Array(n + 1);
    for (let j = 0; j <= n; j += 1) {
      const p = prob[j] as number;
      if (p === 0) continue;
      const remaining = m - i + (n - j);
      if (remaining === 0) continue;
      if (j < n) {
        const step = (p * (n - j)) / remaining;
        if (inside(i, j + 1)) prob[j + 1] = (prob[j + 1] as number) + step;
        else outside += step;
      }
      if (i < m) {
        const step = (p * (m - i)) / remaining;
        if (inside(i + 1, j)) next[j] = (next[j] as number) + step;
        else outside += step;
      }
    }
    prob = next;
  }
  return outside;
}

/**
 * One-sided Kolmogorov–Smirnov survival function P(Dₙ⁺ ≥ x), exact, by the Birnbaum–Tingey (1951) sum
 * x · Σⱼ C(n, j) (1 − x − j/n)^(n−j) (x + j/n)^(j−1), j = 0 … ⌊n(1 − x)⌋, each term in logarithms.
 */
export function smirnovSf(n: number, x: number): number {
  if (x <= 0) return 1;
  if (x >= 1) return 0;
  const last = Math.floor(n * (1 - x));
  const logNFactorial = gammaln(n + 1);
  let sum = 0;
  for (let j = 0; j <= last; j += 1) {
    const below = 1 - x - j / n;
    if (below <= 0) continue;
    sum += Math.exp(
      logNFactorial - gammaln(j + 1) - gammaln(n - j + 1) + (n - j) * Math.log(below) + (j - 1) * Math.log(x + j / n),
    );
  }
  return Math.min(1, x * sum);
}

/** numpy's `round`: halves go to the even neighbour. */
function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const fraction = value - floor;
  if (fraction !== 0.5) return Math.round(value);
  return floor % 2 === 0 ? floor : floor + 1;
}

/**
 * Two-sample Kolmogorov–Smirnov test, two-sided, choosing the method as scipy's `ks_2samp` (method 'auto'):
 * exact when both samples have at most 10,000 values, else asymptotic: P(Dₙ ≥ D) of the one-sample statistic with
 * n = round(mn/(m+n)), as scipy's `kstwo` (kolmogorov-n.ts).
 */
export function ksTwoSample(x: ArrayLike<number>, y: ArrayLike<number>): KsResult {
  if (x.length === 0 || y.length === 0)
    throw usageError(
      'SAMPLE_TOO_SMALL',
      'the Kolmogorov–Smirnov test needs values in both samples',
      'collect more observations',
    );
  const a = sortFloat64(Float64Array.from(x));
  const b = sortFloat64(Float64Array.from(y));
  const m = a.length;
  const n = b.length;
  let statistic = ksStatistic(a, b);
  if (Math.max(m, n) <= MAX_EXACT_N) {
    const g = gcd(m, n);
    const lcm = (m / g) * n;
    const h = Math.round(statistic * lcm);
    statistic = h / lcm;
    if (h === 0) return { statistic, pValue: 1, method: 'exact' };
    return { statistic, pValue: Math.min(1, Math.max(0, exactPValue(m, n, h * g))), method: 'exact' };
  }
  return {
    statistic,
    pValue: kolmogorovNSf(roundHalfEven((m * n) / (m + n)), statistic, smirnovSf),
    method: 'asymptotic',
  };
}
