import { tQuantile } from '../stats/distributions.js';

/** One observation of a scaling study: the worker count and the seconds one unit of work took there. */
export interface ScalingObservation {
  workers: number;
  secondsPerUnit: number;
}

/** A fitted serial fraction with its two-sided interval (clamped to [0, 1]) and the fit's quality. */
export interface SerialFractionFit {
  /** The serial fraction, clamped to [0, 1]. */
  serialFraction: number;
  /** The interval of the serial fraction (t with the fit's residual degrees of freedom); null without enough points. */
  interval: [number, number] | null;
  /** The least-squares estimate before clamping: below 0 means faster than linear (superlinear) scaling. */
  unclamped: number;
  /** Share of the variance the model explains (1 − RSS / TSS); null when the observations do not vary. */
  rSquared: number | null;
  observations: number;
}

const clamp01 = (x: number): number => Math.min(1, Math.max(0, x));

function interval(estimate: number, standardError: number, df: number, confidence: number): [number, number] | null {
  if (df < 1 || !Number.isFinite(standardError)) return null;
  const t = tQuantile(1 - (1 - confidence) / 2, df);
  return [clamp01(estimate - t * standardError), clamp01(estimate + t * standardError)];
}

function rSquaredOf(ys: readonly number[], residuals: readonly number[]): number | null {
  const mean = ys.reduce((a, b) => a + b, 0) / ys.length;
  const total = ys.reduce((sum, y) => sum + (y - mean) ** 2, 0);
  const rss = residuals.reduce((sum, r) => sum + r * r, 0);
  return total > 0 ? 1 - rss / total : null;
}

/**
 * Amdahl's law fitted to strong-scaling observations: the time per unit of work at n workers is T(n) = a + b / n,
 * fitted by ordinary least squares on every observation; T(1) = a + b and the serial fraction s = a / (a + b). Its
 * interval is the delta method on the fit's covariance, with t at N − 2 degrees of freedom. Null with fewer than two
 * distinct worker counts or a fit whose T(1) is not positive.
 */
export function fitAmdahl(observations: readonly ScalingObservation[], confidence = 0.95): SerialFractionFit | null {
  const xs = observations.map((o) => 1 / o.workers);
  const ys = observations.map((o) => o.secondsPerUnit);
  const n = xs.length;
  if (new Set(xs).size < 2) return null;
  const meanX = xs.reduce((a, b) => a + b, 0) / n;
  const meanY = ys.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  xs.forEach((x, i) => {
    sxx += (x - meanX) ** 2;
    sxy += (x - meanX) * ((ys[i] ?? 0) - meanY);
  });
  const b = sxy / sxx;
  const a = meanY - b * meanX;
  const oneWorker = a + b;
  if (!(oneWorker > 0)) return null;
  const residuals = xs.map((x, i) => (ys[i] ?? 0) - a - b * x);
  const df = n - 2;
  const sigma2 = df > 0 ? residuals.reduce((sum, r) => sum + r * r, 0) / df : Number.NaN;
  // Covariance of (a, b) from σ²(XᵀX)⁻¹ with X = [1, x].
  const varB = sigma2 / sxx;
  const varA = sigma2 * (1 / n + (meanX * meanX) / sxx);
  const covAB = (-sigma2 * meanX) / sxx;
  const dA = b / oneWorker ** 2;
  const dB = -a / oneWorker ** 2;
  const standardError = Math.sqrt(dA * dA * varA + 2 * dA * dB * covAB + dB * dB * varB);
  const s = a / oneWorker;
  return {
    serialFraction: clamp01(s),
    interval: interval(s, standardError, df, confidence),
    unclamped: s,
    rSquared: rSquaredOf(ys, residuals),
    observations: n,
  };
}

/** A scaled speedup observed in a weak-scaling study: one worker's time over n workers' time, at the same size n. */
export interface ScaledSpeedupObservation {
  workers: number;
  scaledSpeedup: number;
}

/**
 * Gustafson's law fitted to weak-scaling observations: the scaled speedup is S(n) = n − s (n − 1), where s is the
 * serial share of the n-worker run's time; s is the least-squares slope of n − S(n) on n − 1 through the origin
 * (observations at one worker carry no information and are left out), with t at N − 1 degrees of freedom.
 */
export function fitGustafson(
  observations: readonly ScaledSpeedupObservation[],
  confidence = 0.95,
): SerialFractionFit | null {
  const used = observations.filter((o) => o.workers > 1);
  if (used.length === 0) return null;
  let sxx = 0;
  let sxy = 0;
  for (const o of used) {
    sxx += (o.workers - 1) ** 2;
    sxy += (o.workers - 1) * (o.workers - o.scaledSpeedup);
  }
  const s = sxy / sxx;
  const residuals = used.map((o) => o.workers - o.scaledSpeedup - s * (o.workers - 1));
  const df = used.length - 1;
  const standardError = df > 0 ? Math.sqrt(residuals.reduce((sum, r) => sum + r * r, 0) / df / sxx) : Number.NaN;
  return {
    serialFraction: clamp01(s),
    interval: interval(s, standardError, df, confidence),
    unclamped: s,
    rSquared: rSquaredOf(
      used.map((o) => o.workers - o.scaledSpeedup),
      residuals,
    ),
    observations: used.length,
  };
}

/** Amdahl's speedup at n workers over `base` workers for a serial fraction s. */
export function amdahlSpeedup(s: number, workers: number, base = 1): number {
  return (s + (1 - s) / base) / (s + (1 - s) / workers);
}

/** Gustafson's scaled speedup at n workers for a serial fraction s. */
export function gustafsonSpeedup(s: number, workers: number): number {
  return workers - s * (workers - 1);
}

/**
 * The first worker count past `base` whose efficiency under Amdahl's law, speedup × base / n, is below `bound`:
 * n > ((base·s + 1 − s) / bound − 1 + s) / s. Null when s is 0 (efficiency never drops).
 */
export function amdahlKnee(s: number, bound: number, base = 1): number | null {
  if (!(s > 0)) return null;
  const past = ((base * s + 1 - s) / bound - 1 + s) / s;
  return Math.max(base + 1, Math.floor(past + 1e-9) + 1);
}

/**
 * The first worker count whose scaled efficiency under Gustafson's law, S(n) / n = 1 − s + s / n, is below `bound`:
 * n > 1 / (1 − (1 − bound) / s). Null when s ≤ 1 − bound (it never drops that far).
 */
export function gustafsonKnee(s: number, bound: number): number | null {
  if (!(s > 1 - bound)) return null;
  return Math.max(2, Math.floor(1 / (1 - (1 - bound) / s) + 1e-9) + 1);
}

/**
 * Karp–Flatt's experimentally determined serial fraction at n workers from the measured speedup over one worker:
 * e = (1/S − 1/n) / (1 − 1/n). Rising with n, it points at overhead growing with the workers rather than a fixed
 * serial part. Null at one worker.
 */
export function karpFlatt(speedup: number, workers: number): number | null {
  if (workers <= 1 || !(speedup > 0)) return null;
  return (1 / speedup - 1 / workers) / (1 - 1 / workers);
}
