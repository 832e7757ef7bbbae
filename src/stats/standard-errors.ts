import { usageError } from '../core/errors.js';
import { tQuantile } from './distributions.js';

/** Standard error of a proportion k/n, √(p(1 − p)/n): the normal approximation's scale, 0 at p = 0 or 1. */
export function standardErrorOfProportion(successes: number, trials: number): number {
  if (!(trials > 0) || successes < 0 || successes > trials)
    throw usageError(
      'SE_ARGUMENTS',
      `cannot take ${successes} successes of ${trials} trials`,
      'successes must be between 0 and a positive number of trials',
    );
  const p = successes / trials;
  return Math.sqrt((p * (1 - p)) / trials);
}

/** The mean and the sample variance (n − 1 in the denominator; NaN below two values). */
export function sampleMeanVariance(x: ArrayLike<number>): { mean: number; variance: number } {
  let sum = 0;
  for (let i = 0; i < x.length; i += 1) sum += x[i] as number;
  const mean = sum / x.length;
  let squares = 0;
  for (let i = 0; i < x.length; i += 1) squares += ((x[i] as number) - mean) ** 2;
  return { mean, variance: squares / (x.length - 1) };
}

/** Standard error of the mean, s/√n with the sample standard deviation (n − 1), as scipy's `sem`; NaN below two values. */
export function standardErrorOfMean(values: ArrayLike<number>): number {
  return standardErrorOfTerms(values.length, (i) => values[i] as number);
}

/** The same for n terms computed on demand (`term(i)`, called twice per term), so no array of them is built. */
export function standardErrorOfTerms(n: number, term: (i: number) => number): number {
  if (n < 2) return Number.NaN;
  let mean = 0;
  for (let i = 0; i < n; i += 1) mean += term(i) / n;
  let squares = 0;
  for (let i = 0; i < n; i += 1) squares += (term(i) - mean) ** 2;
  return Math.sqrt(squares / (n - 1) / n);
}

/** The mean with its two-sided t interval (n − 1 degrees of freedom, as scipy's `t.interval` with `sem`); no interval below two values. */
export function meanTInterval(
  values: readonly number[],
  confidence = 0.95,
): { mean: number; interval: [number, number] | null } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  if (values.length < 2) return { mean, interval: null };
  const half = tQuantile(1 - (1 - confidence) / 2, values.length - 1) * standardErrorOfMean(values);
  return { mean, interval: [mean - half, mean + half] };
}
