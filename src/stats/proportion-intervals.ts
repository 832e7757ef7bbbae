import betaQuantile from '@stdlib/stats-base-dists-beta-quantile';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import { usageError } from '../core/errors.js';

/** A two-sided confidence interval. */
export interface Interval {
  low: number;
  high: number;
}

function check(successes: number, trials: number, confidence: number): void {
  if (!Number.isInteger(trials) || trials <= 0)
    throw usageError(
      'INTERVAL_TRIALS',
      `trials must be a positive integer, got ${trials}`,
      'an interval needs at least one observation',
    );
  if (!Number.isInteger(successes) || successes < 0 || successes > trials)
    throw usageError(
      'INTERVAL_SUCCESSES',
      `successes must be an integer in [0, ${trials}], got ${successes}`,
      'count the successes among the trials',
    );
  if (!(confidence > 0 && confidence < 1))
    throw usageError('INTERVAL_CONFIDENCE', `confidence must be in (0, 1), got ${confidence}`, 'e.g. 0.95');
}

/**
 * Wilson score interval for a proportion (scipy's `binomtest(k, n).proportion_ci(method='wilson')`): well behaved
 * near 0 and 1 and for small n, unlike the normal approximation.
 */
export function wilsonInterval(successes: number, trials: number, confidence = 0.95): Interval {
  check(successes, trials, confidence);
  const z = normalQuantile(0.5 + confidence / 2, 0, 1);
  const p = successes / trials;
  const denominator = 2 * (trials + z * z);
  const center = (2 * trials * p + z * z) / denominator;
  const half = (z * Math.sqrt(z * z + 4 * trials * p * (1 - p))) / denominator;
  return { low: Math.max(0, center - half), high: Math.min(1, center + half) };
}

/** Clopper–Pearson ("exact") interval from beta quantiles: conservative, never narrower than its nominal coverage. */
export function clopperPearsonInterval(successes: number, trials: number, confidence = 0.95): Interval {
  check(successes, trials, confidence);
  const alpha = 1 - confidence;
  return {
    low: successes === 0 ? 0 : betaQuantile(alpha / 2, successes, trials - successes + 1),
    high: successes === trials ? 1 : betaQuantile(1 - alpha / 2, successes + 1, trials - successes),
  };
}
