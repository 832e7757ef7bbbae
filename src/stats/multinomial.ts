/**
 * Exact draws from the binomial and multinomial distributions for any count, from a uniform source: used to resample
 * a table of counts as resampling its rows would (a bootstrap of n rows puts Multinomial(n, counts / n) rows in the
 * cells), in time that grows with the logarithm of n instead of with n.
 */
import { gammaDraw } from './gamma.js';

const DIRECT_TRIALS = 32;
/** Below this mean (of the rarer outcome) a draw inverts the distribution function, walking up from 0. */
const INVERSION_MEAN = 20;

/** A Binomial(n, p) draw for p ≤ ½ and a small mean, by inversion: the pmf walked up from 0 until it passes u. */
function binomialByInversion(random: () => number, n: number, p: number): number {
  const u = random();
  const ratio = p / (1 - p);
  let pmf = (1 - p) ** n;
  let cdf = pmf;
  let k = 0;
  while (u > cdf && k < n) {
    pmf *= ((n - k) / (k + 1)) * ratio;
    k += 1;
    cdf += pmf;
  }
  return k;
}

/**
 * A Binomial(n, p) draw. With a small mean (of the rarer outcome, below 20) it inverts the distribution function;
 * otherwise, above 32 trials, it halves the problem with the order statistic of uniforms (Knuth, TAOCP
 * vol. 2, 3.4.1): the a-th smallest of n uniforms is Beta(a, n + 1 − a); whether it falls above or below p decides
 * which part of the trials is left to draw, with p rescaled. The last trials are drawn one by one.
 */
export function binomial(random: () => number, trials: number, p: number): number {
  if (p <= 0 || trials <= 0) return 0;
  if (p >= 1) return trials;
  if (trials * Math.min(p, 1 - p) < INVERSION_MEAN)
    return p <= 0.5 ? binomialByInversion(random, trials, p) : trials - binomialByInversion(random, trials, 1 - p);
  let n = trials;
  let q = p;
  let successes = 0;
  while (n > DIRECT_TRIALS) {
    const a = 1 + (n >> 1);
    const b = n + 1 - a;
    const ga = gammaDraw(random, a);
    const x = ga / (ga + gammaDraw(random, b));
    if (x >= q) {
      n = a - 1;
      q /= x;
    } else {
      successes += a;
      n = b - 1;
      q = (q - x) / (1 - x);
    }
  }
  for (let i = 0; i < n; i += 1) if (random() < q) successes += 1;
  return successes;
}

/** A Multinomial(n, weights / Σweights) draw, as conditional binomials cell by cell. */
export function multinomial(random: () => number, trials: number, weights: ArrayLike<number>): Float64Array {
  const out = new Float64Array(weights.length);
  let mass = 0;
  let last = -1;
  for (let i = 0; i < weights.length; i += 1) {
    const w = weights[i] as number;
    if (w > 0) {
      mass += w;
      last = i;
    }
  }
  let left = trials;
  for (let i = 0; i <= last && left > 0; i += 1) {
    const w = weights[i] as number;
    if (w <= 0) continue;
    const drawn = i === last ? left : binomial(random, left, Math.min(1, w / mass));
    out[i] = drawn;
    left -= drawn;
    mass -= w;
  }
  return out;
}
