import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import { usageError } from '../core/errors.js';
import { normalSf } from './distributions.js';

/**
 * Power and sample size for comparing two proportions (e.g. two systems' accuracy on independent test sets),
 * on Cohen's effect size h = 2·asin(√p₂) − 2·asin(√p₁), as statsmodels' `NormalIndPower` with
 * `proportion_effectsize`. Two-sided, both tails counted.
 */

/** Cohen's h between two proportions. */
export function cohensH(p1: number, p2: number): number {
  return 2 * Math.asin(Math.sqrt(p2)) - 2 * Math.asin(Math.sqrt(p1));
}

/** Power of a two-sided z-test to detect effect `h` with `n1` cases in the first group and `ratio`·n1 in the second. */
export function powerTwoProportions(h: number, n1: number, alpha: number, ratio = 1): number {
  const z = normalQuantile(1 - alpha / 2, 0, 1);
  const shift = Math.abs(h) * Math.sqrt(n1 / (1 + 1 / ratio));
  return normalSf(z - shift) + normalSf(z + shift);
}

function solve(f: (x: number) => number, low: number, high: number): number {
  let a = low;
  let b = high;
  for (let i = 0; i < 200 && b - a > 1e-12 * Math.max(1, Math.abs(b)); i += 1) {
    const mid = (a + b) / 2;
    if (f(mid) > 0) b = mid;
    else a = mid;
  }
  return (a + b) / 2;
}

function checkRange(alpha: number, power: number): void {
  if (!(alpha > 0 && alpha < 1) || !(power > 0 && power < 1))
    throw usageError('POWER_ARGUMENTS', 'alpha and power must be in (0, 1)', 'e.g. alpha 0.05, power 0.8');
}

/** Cases needed in the first group (fractional; round up) to detect p₁ → p₂ with the given power. */
export function requiredSampleSize(
  p1: number,
  p2: number,
  options: { alpha?: number; power?: number; ratio?: number } = {},
): number {
  const alpha = options.alpha ?? 0.05;
  const power = options.power ?? 0.8;
  checkRange(alpha, power);
  const h = cohensH(p1, p2);
  if (h === 0) return Infinity;
  return solve((n) => powerTwoProportions(h, n, alpha, options.ratio ?? 1) - power, 1e-9, 1e12);
}

/** The smallest proportion above `p1` that `n1` cases per group detect with the given power (the minimum detectable difference is the result − p₁). */
export function minimumDetectableProportion(
  p1: number,
  n1: number,
  options: { alpha?: number; power?: number; ratio?: number } = {},
): number {
  const alpha = options.alpha ?? 0.05;
  const power = options.power ?? 0.8;
  checkRange(alpha, power);
  const h = solve((x) => powerTwoProportions(x, n1, alpha, options.ratio ?? 1) - power, 0, Math.PI);
  const angle = Math.asin(Math.sqrt(p1)) + h / 2;
  return angle >= Math.PI / 2 ? 1 : Math.sin(angle) ** 2;
}
