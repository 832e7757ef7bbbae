import gammainc from '@stdlib/math-base-special-gammainc';
import binomialCdf from '@stdlib/stats-base-dists-binomial-cdf';
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import tQuantileOf from '@stdlib/stats-base-dists-t-quantile';

/**
 * Upper-tail probabilities computed without `1 − cdf`, which would lose every digit of a small p-value.
 * Distribution functions come from the @stdlib packages (ports of Cephes and Boost), not re-derived here.
 */

/** P(Z ≥ z) for a standard normal. */
export function normalSf(z: number): number {
  return normalCdf(-z, 0, 1);
}

/** P(T ≥ t) for Student's t with `df` degrees of freedom. */
export function tSf(t: number, df: number): number {
  return tCdf(-t, df);
}

/** P(X ≥ x) for a chi-square with `df` degrees of freedom (the regularized upper incomplete gamma). */
export function chiSquareSf(x: number, df: number): number {
  if (x <= 0) return 1;
  return gammainc(x / 2, df / 2, true, true);
}

/** P(X ≤ k) for a binomial(n, p). */
export function binomialCdfAt(k: number, n: number, p: number): number {
  return binomialCdf(k, n, p);
}

/** The p-quantile of Student's t with `df` degrees of freedom (for t intervals of a mean). */
export function tQuantile(p: number, df: number): number {
  return tQuantileOf(p, df);
}
