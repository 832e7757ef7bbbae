import { LATENCY_METRICS, type LatencyMetric } from '../core/types.js';
import { quantileRanks } from '../stats/quantile-interval.js';
import type { LatencyHistogram } from './latency-histogram.js';

/** The percentiles a run reports, with the quantile each stands for. */
export const PERCENTILES = { p50: 0.5, p90: 0.9, p95: 0.95, p99: 0.99, p999: 0.999 } as const;
export type PercentileName = keyof typeof PERCENTILES;
export const PERCENTILE_NAMES: readonly PercentileName[] = ['p50', 'p90', 'p95', 'p99', 'p999'];

export function isPercentileName(text: string): text is PercentileName {
  return PERCENTILE_NAMES.some((name) => name === text);
}

/** What makes a performance result valid. */
export interface ValidityRules {
  /** The measured window must last at least this long. */
  minDurationS: number;
  /** Confidence of the percentile bounds (two-sided). */
  confidence: number;
  /** Percentiles that must have both bounds for the run to be valid. */
  percentiles: PercentileName[];
}

/**
 * Defaults: a minute of measurement, so that what recurs on the server within a minute (batch scheduling, cache
 * eviction, garbage collection, a 15–60 s metrics scrape) is inside the window at least once (MLPerf's server
 * scenario asks for ten); 95% bounds; p50 to p99 supported (p99 needs 368 completed requests; p999 is bounded when
 * 3,688 or more make it possible, but does not decide the verdict).
 */
export const DEFAULT_VALIDITY_RULES: ValidityRules = {
  minDurationS: 60,
  confidence: 0.95,
  percentiles: ['p50', 'p90', 'p95', 'p99'],
};

/** Bounds of one percentile from order statistics, in milliseconds. */
export interface PercentileBound {
  lowMs: number | null;
  highMs: number | null;
  /** More samples the upper bound needs (0 when it exists). */
  needsMore: number;
}

export type LatencyBounds = Partial<Record<LatencyMetric, Partial<Record<PercentileName, PercentileBound>>>>;

export interface Validity {
  verdict: 'valid' | 'insufficient';
  rules: ValidityRules;
  /** Why the run is insufficient, one sentence each (empty when valid). */
  reasons: string[];
  bounds: LatencyBounds;
}

/** The distribution-free bounds of every reported percentile of every metric measured. */
export function latencyBounds(
  histogram: (metric: LatencyMetric) => LatencyHistogram,
  confidence: number,
): LatencyBounds {
  const bounds: LatencyBounds = {};
  for (const metric of LATENCY_METRICS) {
    const h = histogram(metric);
    if (h.count === 0) continue;
    const byPercentile: Partial<Record<PercentileName, PercentileBound>> = {};
    for (const name of PERCENTILE_NAMES) {
      const ranks = quantileRanks(h.count, PERCENTILES[name], confidence);
      byPercentile[name] = {
        lowMs: ranks.lower === null ? null : h.valueAtRankMs(ranks.lower),
        highMs: ranks.upper === null ? null : h.valueAtRankMs(ranks.upper),
        needsMore: ranks.needsMore,
      };
    }
    bounds[metric] = byPercentile;
  }
  return bounds;
}

/** Metrics a verdict reads: one sample per completed request (per-token and network phases have their own counts). */
const VERDICT_METRICS: readonly LatencyMetric[] = ['ttft', 'e2e'];

/** Whether a run's duration and sample counts support the percentiles it reports, and if not, what is missing. */
export function judgeValidity(durationS: number, bounds: LatencyBounds, rules: ValidityRules): Validity {
  const reasons: string[] = [];
  if (durationS < rules.minDurationS)
    reasons.push(`measured ${durationS.toFixed(1)} s, less than the ${rules.minDurationS} s minimum (--min-duration)`);
  for (const name of rules.percentiles) {
    const short = VERDICT_METRICS.map((metric) => ({ metric, bound: bounds[metric]?.[name] })).filter(
      (entry) => entry.bound !== undefined && entry.bound.needsMore > 0,
    );
    const needsMore = Math.max(0, ...short.map((entry) => entry.bound?.needsMore ?? 0));
    if (needsMore > 0)
      reasons.push(
        `${name} needs ≥ ${needsMore} more completed requests for its ${Math.round(rules.confidence * 100)}% upper bound (${short.map((s) => s.metric).join(', ')})`,
      );
  }
  if (VERDICT_METRICS.every((metric) => bounds[metric] === undefined)) reasons.push('no request completed');
  return { verdict: reasons.length === 0 ? 'valid' : 'insufficient', rules, reasons, bounds };
}
