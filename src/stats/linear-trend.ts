import { tQuantile } from './distributions.js';

/** A least-squares line through points, its slope's standard error, and a two-sided interval for the slope. */
export interface LinearTrend {
  slope: number;
  intercept: number;
  slopeStandardError: number;
  /** The slope's confidence interval (t with n − 2 degrees of freedom). */
  slopeInterval: [number, number];
}

/** The ordinary least-squares trend of y on x; null with fewer than three points or no spread in x. */
export function linearTrend(xs: readonly number[], ys: readonly number[], confidence = 0.95): LinearTrend | null {
  const n = Math.min(xs.length, ys.length);
  if (n < 3) return null;
  let meanX = 0;
  let meanY = 0;
  for (let i = 0; i < n; i += 1) {
    meanX += xs[i] ?? 0;
    meanY += ys[i] ?? 0;
  }
  meanX /= n;
  meanY /= n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i += 1) {
    const dx = (xs[i] ?? 0) - meanX;
    sxx += dx * dx;
    sxy += dx * ((ys[i] ?? 0) - meanY);
  }
  if (!(sxx > 0)) return null;
  const slope = sxy / sxx;
  const intercept = meanY - slope * meanX;
  let residuals = 0;
  for (let i = 0; i < n; i += 1) {
    const r = (ys[i] ?? 0) - intercept - slope * (xs[i] ?? 0);
    residuals += r * r;
  }
  const slopeStandardError = Math.sqrt(residuals / (n - 2) / sxx);
  const t = tQuantile(1 - (1 - confidence) / 2, n - 2);
  return {
    slope,
    intercept,
    slopeStandardError,
    slopeInterval: [slope - t * slopeStandardError, slope + t * slopeStandardError],
  };
}
