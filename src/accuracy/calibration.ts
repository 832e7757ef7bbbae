import { usageError } from '../core/errors.js';

/** One bin of a reliability diagram: mean predicted probability against the observed frequency of positives. */
export interface ReliabilityBin {
  /** Bin bounds: (low, high], the first bin also holding 0. */
  low: number;
  high: number;
  count: number;
  meanPredicted: number;
  fractionPositive: number;
}

/**
 * The bin of probability p among `bins` equal bins with scikit-learn's edges, np.linspace(0, 1, bins + 1): edge k is
 * k × (1 / bins), rounded as numpy rounds it; a value equal to an inner edge belongs to the bin below it
 * (np.searchsorted, side 'left').
 */
export function binOf(p: number, bins: number, step = 1 / bins): number {
  let bin = 0;
  while (bin < bins - 1 && p > (bin + 1) * step) bin += 1;
  return bin;
}

/**
 * Reliability bins of positive-class probabilities over `bins` equal-width bins, as scikit-learn's
 * `calibration_curve(strategy='uniform')` (1.2) assigns them: edges k·(1/bins) as np.linspace computes them, a
 * probability on an inner edge in the lower bin (np.searchsorted, side 'left'); empty bins are left out, as there.
 */
export function reliabilityBins(
  positives: ArrayLike<boolean>,
  probabilities: ArrayLike<number>,
  bins = 10,
): ReliabilityBin[] {
  if (positives.length !== probabilities.length)
    throw usageError(
      'LENGTH_MISMATCH',
      `${positives.length} labels but ${probabilities.length} probabilities`,
      'give one probability per label',
    );
  const count = new Float64Array(bins);
  const predicted = new Float64Array(bins);
  const observed = new Float64Array(bins);
  const step = 1 / bins;
  for (let i = 0; i < probabilities.length; i += 1) {
    const p = probabilities[i] as number;
    if (!(p >= 0 && p <= 1))
      throw usageError(
        'PROBABILITY_RANGE',
        `probability ${p} at row ${i + 1} is outside [0, 1]`,
        'give probabilities, not raw scores',
      );
    const bin = binOf(p, bins, step);
    count[bin] = (count[bin] as number) + 1;
    predicted[bin] = (predicted[bin] as number) + p;
    if (positives[i] === true) observed[bin] = (observed[bin] as number) + 1;
  }
  const out: ReliabilityBin[] = [];
  for (let b = 0; b < bins; b += 1) {
    const n = count[b] as number;
    if (n === 0) continue;
    out.push({
      low: b / bins,
      high: (b + 1) / bins,
      count: n,
      meanPredicted: (predicted[b] as number) / n,
      fractionPositive: (observed[b] as number) / n,
    });
  }
  return out;
}

/** Expected calibration error: Σ over bins of (bin share) × |fraction positive − mean predicted|. */
export function expectedCalibrationError(
  positives: ArrayLike<boolean>,
  probabilities: ArrayLike<number>,
  bins = 10,
): number {
  const total = probabilities.length;
  return reliabilityBins(positives, probabilities, bins).reduce(
    (s, b) => s + (b.count / total) * Math.abs(b.fractionPositive - b.meanPredicted),
    0,
  );
}
