import {
  durationLimitMs,
  evaluateWith,
  isOneOf,
  isStatistic,
  numberLimit,
  STATISTICS,
  thresholdParts,
  type Comparison,
  type Parsed,
  type Statistic,
} from '../core/threshold-grammar.js';
export type { Comparison, Parsed } from '../core/threshold-grammar.js';
import { LATENCY_METRICS, type LatencyMetric, type ThresholdResult } from '../core/types.js';
import type { RequestTimingsNs } from './request-metrics.js';
import type { Slo } from './slo.js';
import { errorRate, type EfficiencySummary } from './summary.js';
import { isPercentileName, PERCENTILE_NAMES, type LatencyBounds } from './validity.js';

type RateMetric = (typeof RATE_METRICS)[number];
const RATE_METRICS = ['error_rate', 'throughput', 'output_throughput', 'goodput', 'achieved_rate'] as const;

/**
 * A run-level pass/fail rule, e.g. `p95(ttft) < 500ms`, `error_rate < 1%`, `goodput > 10/s`, or on a percentile's
 * confidence bound, `upper(p99(ttft)) < 800ms` (the bound from order statistics; see efficiency/validity.ts).
 */
export type Threshold =
  | {
      expr: string;
      kind: 'latency';
      stat: Statistic;
      metric: LatencyMetric;
      op: Comparison;
      limit: number;
      /** Compare a bound of the percentile instead of the percentile itself. */
      bound: 'lower' | 'upper' | null;
    }
  | { expr: string; kind: 'rate'; metric: RateMetric; op: Comparison; limit: number };

const BOUNDED = /^\s*(lower|upper)\(\s*([a-z0-9_]+\(\s*[A-Za-z0-9_.-]+\s*\))\s*\)\s*((?:<=|>=|<|>).*)$/;

/** Parses a bench threshold (the grammar of core/threshold-grammar.ts); the error says what is wrong and shows valid forms. */
export function parseThreshold(expr: string): Parsed<Threshold> {
  const bounded = BOUNDED.exec(expr);
  if (bounded !== null) {
    const [, bound, inner = '', rest = ''] = bounded;
    const parsed = parseThreshold(`${inner} ${rest}`);
    if (!parsed.ok) return parsed;
    if (parsed.value.kind !== 'latency' || !isPercentileName(parsed.value.stat))
      return {
        ok: false,
        message: `'${expr}' bounds something other than a percentile`,
        hint: `bounds exist for ${PERCENTILE_NAMES.join(', ')}: e.g. 'upper(p99(ttft)) < 800ms'`,
      };
    return { ok: true, value: { ...parsed.value, expr: expr.trim(), bound: bound === 'lower' ? 'lower' : 'upper' } };
  }
  const hint =
    "write e.g. 'p95(ttft) < 500ms', 'upper(p99(ttft)) < 800ms', 'mean(e2e) <= 2s', 'error_rate < 1%', 'goodput > 10/s'";
  const parts = thresholdParts(expr, hint);
  if (!parts.ok) return parts;
  const { fn, name, op, limitText } = parts.value;
  if (fn !== null) {
    if (!isStatistic(fn))
      return {
        ok: false,
        message: `unknown statistic '${fn}' in '${expr}'`,
        hint: `statistics: ${STATISTICS.join(', ')}`,
      };
    if (!isOneOf(LATENCY_METRICS, name))
      return {
        ok: false,
        message: `unknown metric '${name}' in '${expr}'`,
        hint: `metrics: ${LATENCY_METRICS.join(', ')}`,
      };
    if (!/[a-zµ]$/.test(limitText))
      return { ok: false, message: `'${limitText}' in '${expr}' needs a time unit`, hint: 'add ms, s or us' };
    const limitMs = durationLimitMs(limitText);
    if (limitMs === null) return { ok: false, message: `'${limitText}' in '${expr}' is not a duration`, hint };
    return {
      ok: true,
      value: { expr: parts.value.expr, kind: 'latency', stat: fn, metric: name, op, limit: limitMs, bound: null },
    };
  }
  if (!isOneOf(RATE_METRICS, name))
    return {
      ok: false,
      message: `unknown metric '${name}' in '${expr}'`,
      hint: `metrics: ${RATE_METRICS.join(', ')}, or stat(metric) such as p95(ttft)`,
    };
  const limit = numberLimit(limitText);
  if (limit === null) return { ok: false, message: `'${limitText}' in '${expr}' is not a number`, hint };
  return { ok: true, value: { expr: parts.value.expr, kind: 'rate', metric: name, op, limit } };
}

/** What a threshold reads: a run's or one sweep step's latency percentiles, throughput, achieved rate and error rate. */
export interface ThresholdView {
  latencyMs: Partial<Record<LatencyMetric, Partial<Record<Statistic, number>> | null>>;
  /** Percentile bounds (absent from runs stored before they existed: bounded thresholds then fail as unmeasured). */
  latencyBounds?: LatencyBounds;
  throughput: { requestsPerS: number; outputTokensPerS: number; goodputPerS: number | null };
  achievedPerS: number | null;
  errorRate: number | null;
}

/** The value a threshold compares with its limit; null when it was not measured. */
export function thresholdValue(threshold: Threshold, view: ThresholdView): number | null {
  if (threshold.kind === 'latency') {
    if (threshold.bound === null) return view.latencyMs[threshold.metric]?.[threshold.stat] ?? null;
    const stat = threshold.stat;
    const bound = isPercentileName(stat) ? view.latencyBounds?.[threshold.metric]?.[stat] : undefined;
    return (threshold.bound === 'lower' ? bound?.lowMs : bound?.highMs) ?? null;
  }
  switch (threshold.metric) {
    case 'error_rate':
      return view.errorRate;
    case 'throughput':
      return view.throughput.requestsPerS;
    case 'output_throughput':
      return view.throughput.outputTokensPerS;
    case 'goodput':
      return view.throughput.goodputPerS;
    case 'achieved_rate':
      return view.achievedPerS;
  }
}

function measured(threshold: Threshold, summary: EfficiencySummary): number | null {
  return thresholdValue(threshold, {
    latencyMs: summary.latencyMs,
    latencyBounds: summary.validity.bounds,
    throughput: summary.throughput,
    achievedPerS: summary.rate.achievedPerS,
    errorRate: errorRate(summary),
  });
}

/** Evaluates thresholds on a summary; a metric that was not measured fails its threshold. */
export function evaluateThresholds(thresholds: readonly Threshold[], summary: EfficiencySummary): ThresholdResult[] {
  return evaluateWith(thresholds, (threshold) => measured(threshold, summary));
}

const SLO_METRICS: readonly (keyof RequestTimingsNs)[] = [
  'e2e',
  'e2eFromIntended',
  'scheduleLag',
  'ttft',
  'ttfo',
  'tpot',
];
/** Parses a per-request SLO such as `ttft < 500ms`: a bare metric, an upper bound and a duration. */
export function parseSlo(expr: string): Parsed<Slo> {
  const hint = `write '<metric> < <duration>', e.g. 'ttft < 500ms'; metrics: ${SLO_METRICS.join(', ')}`;
  const parts = thresholdParts(expr, hint);
  if (!parts.ok || parts.value.fn !== null || parts.value.op === '>' || parts.value.op === '>=')
    return { ok: false, message: `cannot read SLO '${expr}'`, hint };
  const { name, op, limitText } = parts.value;
  if (!isOneOf(SLO_METRICS, name)) return { ok: false, message: `unknown SLO metric '${name}'`, hint };
  const limitMs = durationLimitMs(limitText);
  if (limitMs === null)
    return { ok: false, message: `'${limitText}' in '${expr}' is not a duration with a unit`, hint };
  return { ok: true, value: { expr: parts.value.expr, metric: name, op, limitNs: limitMs * 1e6 } };
}
