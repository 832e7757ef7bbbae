import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import type { Interval } from '../stats/proportion-intervals.js';
import { sampleMeanVariance, standardErrorOfTerms } from '../stats/standard-errors.js';
import { binOf } from './calibration.js';
import { eachPlacement, type SortedClasses } from './sorted-classes.js';

/**
 * Intervals for large samples, where resampling every row a thousand times costs more than the data is worth: the
 * normal approximation with the statistic's standard error from its influence function (the delta method), DeLong's
 * variance for ROC AUC, the logit interval for average precision (Boyd, Eng and Page 2013) and the distribution-free
 * order-statistic interval for a median. At these sizes the bootstrap's percentile interval and these agree; they
 * cost one or two passes over the rows.
 */

/** Rows above which score and regression metrics take these intervals instead of the row bootstrap. */
export const ROW_BOOTSTRAP_MAX_ROWS = 100_000;

function z(confidence: number): number {
  return normalQuantile(0.5 + confidence / 2, 0, 1);
}

function clamp(interval: Interval, low: number, high: number): Interval {
  return { low: Math.max(low, interval.low), high: Math.min(high, interval.high) };
}

/** value ± z·se; null when the standard error is not finite. */
export function normalInterval(value: number, se: number, confidence: number): Interval | null {
  if (!Number.isFinite(value) || !Number.isFinite(se)) return null;
  const half = z(confidence) * se;
  return { low: value - half, high: value + half };
}

/** The normal interval of a mean of n terms. */
export function meanInterval(
  value: number,
  n: number,
  term: (i: number) => number,
  confidence: number,
): Interval | null {
  return normalInterval(value, standardErrorOfTerms(n, term), confidence);
}

/**
 * DeLong's interval of the ROC AUC (DeLong, DeLong and Clarke-Pearson 1988): the variance from each sample's
 * structural component (the share of the other class it ranks above, ties one half), Var = S₁₀/m + S₀₁/n, clipped
 * to [0, 1]. Null with one class, or a single sample of a class.
 */
export function deLongInterval(sorted: SortedClasses, confidence: number): Interval | null {
  const m = sorted.positives.length;
  const n = sorted.negatives.length;
  if (m < 2 || n < 2) return null;
  const positiveParts = new Float64Array(m);
  eachPlacement(sorted.positives, sorted.negatives, (i, count) => {
    positiveParts[i] = count / n;
  });
  const negativeParts = new Float64Array(n);
  eachPlacement(sorted.negatives, sorted.positives, (j, count) => {
    negativeParts[j] = 1 - count / m;
  });
  const variance = (values: Float64Array): number => sampleMeanVariance(values).variance;
  let auc = 0;
  for (const v of positiveParts) auc += v;
  auc /= m;
  const interval = normalInterval(
    auc,
    Math.sqrt(variance(positiveParts) / m + variance(negativeParts) / n),
    confidence,
  );
  return interval === null ? null : clamp(interval, 0, 1);
}

/**
 * The logit interval of average precision over `positives` positive samples (Boyd, Eng and Page 2013):
 * logit(AP) ± z / √(positives · AP · (1 − AP)), mapped back. Null when AP is 0 or 1 or there are no positives.
 */
export function averagePrecisionInterval(ap: number, positives: number, confidence: number): Interval | null {
  if (!(ap > 0 && ap < 1) || positives === 0) return null;
  const logit = Math.log(ap / (1 - ap));
  const half = z(confidence) / Math.sqrt(positives * ap * (1 - ap));
  const expit = (x: number): number => 1 / (1 + Math.exp(-x));
  return { low: expit(logit - half), high: expit(logit + half) };
}

/**
 * The delta-method interval of the expected calibration error over `bins` equal bins. ECE = Σ_b |D_b| / n with D_b
 * the bin's sum of (outcome − probability); with each bin's sign held, it is the mean of sign(D_b)·(yᵢ − pᵢ), whose
 * standard error is that of a mean. Clipped at 0.
 */
export function calibrationErrorInterval(
  positives: ArrayLike<boolean>,
  probabilities: ArrayLike<number>,
  value: number,
  confidence: number,
  bins = 10,
): Interval | null {
  const n = probabilities.length;
  const gap = new Float64Array(bins);
  for (let i = 0; i < n; i += 1) {
    const b = binOf(probabilities[i] as number, bins);
    gap[b] = (gap[b] as number) + (positives[i] === true ? 1 : 0) - (probabilities[i] as number);
  }
  const term = (i: number): number => {
    const p = probabilities[i] as number;
    return Math.sign(gap[binOf(p, bins)] as number) * ((positives[i] === true ? 1 : 0) - p);
  };
  const interval = meanInterval(value, n, term, confidence);
  return interval === null ? null : clamp(interval, 0, Infinity);
}

/**
 * The distribution-free interval of a median from order statistics: the values of rank ⌊(n − z√n)/2⌋ and
 * ⌈1 + (n + z√n)/2⌉ (from 1) of the sorted sample (the normal approximation to the binomial count below the median).
 */
export function medianInterval(sorted: Float64Array, confidence: number): Interval | null {
  const n = sorted.length;
  if (n < 2) return null;
  const half = (z(confidence) * Math.sqrt(n)) / 2;
  const low = Math.max(0, Math.floor(n / 2 - half) - 1);
  const high = Math.min(n - 1, Math.ceil(n / 2 + half));
  return { low: sorted[low] as number, high: sorted[high] as number };
}

/** Mean and centred sum of squares of n terms. */
function centred(n: number, term: (i: number) => number): { mean: number; squares: number } {
  let sum = 0;
  for (let i = 0; i < n; i += 1) sum += term(i);
  const mean = sum / n;
  let squares = 0;
  for (let i = 0; i < n; i += 1) squares += (term(i) - mean) ** 2;
  return { mean, squares };
}

/**
 * The delta-method interval of 1 − A/B, where A is the mean of a(i) and B the mean of b(i) (R²: squared errors over
 * squared deviations of the truth; explained variance: the same with centred errors): influence
 * −(aᵢ − A)/B + A·(bᵢ − B)/B². Null when B is 0 (a constant truth).
 */
export function ratioScoreInterval(
  value: number,
  n: number,
  a: (i: number) => number,
  b: (i: number) => number,
  confidence: number,
): Interval | null {
  const { mean: meanA } = centred(n, a);
  const { mean: meanB } = centred(n, b);
  if (meanB === 0 || n < 2) return null;
  const se = standardErrorOfTerms(n, (i) => -(a(i) - meanA) / meanB + (meanA * (b(i) - meanB)) / meanB ** 2);
  return normalInterval(value, se, confidence);
}

/**
 * The delta-method interval of Pearson's r: with x and y standardized, the influence of a pair is
 * xᵢyᵢ − r·(xᵢ² + yᵢ²)/2 (no normality assumed); clipped to [−1, 1].
 */
export function pearsonInterval(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  r: number,
  confidence: number,
): Interval | null {
  const n = x.length;
  if (!Number.isFinite(r) || n < 3) return null;
  const cx = centred(n, (i) => x[i] as number);
  const cy = centred(n, (i) => y[i] as number);
  const sx = Math.sqrt(cx.squares / n);
  const sy = Math.sqrt(cy.squares / n);
  if (sx === 0 || sy === 0) return null;
  const se = standardErrorOfTerms(n, (i) => {
    const u = ((x[i] as number) - cx.mean) / sx;
    const v = ((y[i] as number) - cy.mean) / sy;
    return u * v - (r * (u * u + v * v)) / 2;
  });
  const interval = normalInterval(r, se, confidence);
  return interval === null ? null : clamp(interval, -1, 1);
}

/**
 * Fisher's z interval of Spearman's ρ with Bonett and Wright's (2000) variance, (1 + ρ²/2)/(n − 3): tanh(atanh ρ ±
 * z·se). Null for |ρ| = 1 or fewer than 4 pairs.
 */
export function spearmanInterval(rho: number, n: number, confidence: number): Interval | null {
  if (!(Math.abs(rho) < 1) || n < 4) return null;
  const se = Math.sqrt((1 + (rho * rho) / 2) / (n - 3));
  const centre = Math.atanh(rho);
  return { low: Math.tanh(centre - z(confidence) * se), high: Math.tanh(centre + z(confidence) * se) };
}
