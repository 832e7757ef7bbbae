import { usageError } from '../core/errors.js';
import { averageRanks } from '../stats/ranks.js';

/**
 * Regression metrics with scikit-learn's definitions (checked against scikit-learn 1.2.1 and scipy 1.10 in
 * regression.test.ts), including `force_finite` for R² and explained variance on constant targets. A constant column's
 * mean is its value exactly, so its variance is exactly 0 (numpy's summation is exact on some lengths only, so
 * scikit-learn gives 0 there and about −1e33 elsewhere; yardstick gives 0 on every length).
 */

type Values = ArrayLike<number>;

function checkPair(yTrue: Values, yPred: Values): number {
  if (yTrue.length !== yPred.length)
    throw usageError(
      'LENGTH_MISMATCH',
      `${yTrue.length} true values but ${yPred.length} predictions`,
      'give one prediction per true value',
    );
  return yTrue.length;
}

/**
 * The mean of n terms; exactly the value when every term is the same. Summing n copies of 0.1 and dividing by n
 * rarely gives 0.1 back, and a constant column would then have a variance of ~1e-34 instead of 0: R² of −1e33
 * instead of force_finite's 0, Pearson's r of 1 instead of NaN.
 */
function meanOf(n: number, term: (i: number) => number): number {
  if (n === 0) return Number.NaN;
  const first = term(0);
  let sum = 0;
  let constant = true;
  for (let i = 0; i < n; i += 1) {
    const value = term(i);
    sum += value;
    if (value !== first) constant = false;
  }
  return constant ? first : sum / n;
}

function mean(values: Values): number {
  return meanOf(values.length, (i) => values[i] as number);
}

/** Mean squared error. */
export function meanSquaredError(yTrue: Values, yPred: Values): number {
  const n = checkPair(yTrue, yPred);
  return meanOf(n, (i) => ((yTrue[i] as number) - (yPred[i] as number)) ** 2);
}

/** Root mean squared error. */
export function rootMeanSquaredError(yTrue: Values, yPred: Values): number {
  return Math.sqrt(meanSquaredError(yTrue, yPred));
}

/** Mean absolute error. */
export function meanAbsoluteError(yTrue: Values, yPred: Values): number {
  const n = checkPair(yTrue, yPred);
  return meanOf(n, (i) => Math.abs((yTrue[i] as number) - (yPred[i] as number)));
}

/** Median of the absolute errors (the mean of the two middle ones for an even count, as numpy's median). */
export function medianAbsoluteError(yTrue: Values, yPred: Values): number {
  const n = checkPair(yTrue, yPred);
  if (n === 0) return Number.NaN;
  const errors = Float64Array.from({ length: n }, (_, i) =>
    Math.abs((yPred[i] as number) - (yTrue[i] as number)),
  ).sort();
  const middle = n >> 1;
  return n % 2 === 1 ? (errors[middle] as number) : ((errors[middle - 1] as number) + (errors[middle] as number)) / 2;
}

/** The largest absolute error. */
export function maxError(yTrue: Values, yPred: Values): number {
  const n = checkPair(yTrue, yPred);
  let max = n === 0 ? Number.NaN : 0;
  for (let i = 0; i < n; i += 1) max = Math.max(max, Math.abs((yTrue[i] as number) - (yPred[i] as number)));
  return max;
}

/** Mean absolute percentage error as a fraction; a true value of 0 divides by machine epsilon, as scikit-learn does. */
export function meanAbsolutePercentageError(yTrue: Values, yPred: Values): number {
  const n = checkPair(yTrue, yPred);
  return meanOf(
    n,
    (i) =>
      Math.abs((yPred[i] as number) - (yTrue[i] as number)) / Math.max(Math.abs(yTrue[i] as number), Number.EPSILON),
  );
}

/**
 * scikit-learn's force_finite rule: with a zero denominator (constant targets) the score is 1 for a perfect fit
 * and 0 otherwise, instead of NaN or −∞.
 */
function finiteScore(numerator: number, denominator: number): number {
  if (denominator !== 0) return 1 - numerator / denominator;
  return numerator === 0 ? 1 : 0;
}

/** Coefficient of determination R²; NaN for fewer than two samples (scikit-learn warns and returns NaN). */
export function r2Score(yTrue: Values, yPred: Values): number {
  const n = checkPair(yTrue, yPred);
  if (n < 2) return Number.NaN;
  const average = mean(yTrue);
  let residual = 0;
  let totalSquares = 0;
  for (let i = 0; i < n; i += 1) {
    residual += ((yTrue[i] as number) - (yPred[i] as number)) ** 2;
    totalSquares += ((yTrue[i] as number) - average) ** 2;
  }
  return finiteScore(residual, totalSquares);
}

/** Explained variance: 1 − Var(y − ŷ) / Var(y), with the same force_finite rule. */
export function explainedVarianceScore(yTrue: Values, yPred: Values): number {
  const n = checkPair(yTrue, yPred);
  if (n === 0) return Number.NaN;
  const diffMean = meanOf(n, (i) => (yTrue[i] as number) - (yPred[i] as number));
  const trueMean = mean(yTrue);
  const numerator = meanOf(n, (i) => ((yTrue[i] as number) - (yPred[i] as number) - diffMean) ** 2);
  const denominator = meanOf(n, (i) => ((yTrue[i] as number) - trueMean) ** 2);
  return finiteScore(numerator, denominator);
}

/** Pearson's r (scipy.stats.pearsonr's statistic); NaN when either input is constant or has fewer than two values. */
export function pearsonR(x: Values, y: Values): number {
  const n = checkPair(x, y);
  if (n < 2) return Number.NaN;
  const mx = mean(x);
  const my = mean(y);
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i += 1) {
    sxx += ((x[i] as number) - mx) ** 2;
    syy += ((y[i] as number) - my) ** 2;
  }
  const nx = Math.sqrt(sxx);
  const ny = Math.sqrt(syy);
  if (nx === 0 || ny === 0) return Number.NaN;
  let r = 0;
  for (let i = 0; i < n; i += 1) r += (((x[i] as number) - mx) / nx) * (((y[i] as number) - my) / ny);
  return Math.max(-1, Math.min(1, r));
}

/** Spearman's rank correlation: Pearson's r of the average ranks (scipy.stats.spearmanr's statistic). */
export function spearmanR(x: Values, y: Values): number {
  checkPair(x, y);
  return pearsonR(averageRanks(x), averageRanks(y));
}
