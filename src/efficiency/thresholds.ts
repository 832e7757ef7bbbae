import { LATENCY_METRICS, type LatencyMetric, type LatencyStats, type ThresholdResult } from '../core/types.js';
import { parseDurationMs } from '../core/units.js';
import type { RequestTimingsNs } from './request-metrics.js';
import type { Slo } from './slo.js';
import { errorRate, type EfficiencySummary } from './summary.js';

export type Comparison = '<' | '<=' | '>' | '>=';
type Stat = keyof Omit<LatencyStats, 'count'>;
const STATS: readonly Stat[] = ['p50', 'p90', 'p95', 'p99', 'p999', 'mean', 'min', 'max', 'stddev'];
const RATE_METRICS = ['error_rate', 'throughput', 'output_throughput', 'goodput', 'achieved_rate'] as const;
type RateMetric = (typeof RATE_METRICS)[number];

/** A run-level pass/fail rule, e.g. `p95(ttft) < 500ms`, `error_rate < 1%`, `goodput > 10/s`. */
export type Threshold =
  | { expr: string; kind: 'latency'; stat: Stat; metric: LatencyMetric; op: Comparison; limit: number }
  | { expr: string; kind: 'rate'; metric: RateMetric; op: Comparison; limit: number };

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string; hint: string };

const THRESHOLD_PATTERN = /^\s*([a-z_0-9]+)(?:\(\s*([A-Za-z][A-Za-z0-9]*)\s*\))?\s*(<=|>=|<|>)\s*(\S+)\s*$/;

/** Whether `value op limit` holds. */
export function compare(value: number, op: Comparison, limit: number): boolean {
  switch (op) {
    case '<':
      return value < limit;
    case '<=':
      return value <= limit;
    case '>':
      return value > limit;
    case '>=':
      return value >= limit;
  }
}

function parseRateLimit(metric: RateMetric, text: string): number | null {
  if (metric === 'error_rate') {
    const percent = /^(\d+(?:\.\d+)?)%$/.exec(text);
    if (percent?.[1] !== undefined) return Number(percent[1]) / 100;
    const n = Number(text);
    return Number.isFinite(n) ? n : null;
  }
  const n = Number(text.replace(/\/s$/, ''));
  return Number.isFinite(n) ? n : null;
}

/** Parses a threshold expression; the error says what is wrong and shows valid forms. */
export function parseThreshold(expr: string): Parsed<Threshold> {
  const hint = "write e.g. 'p95(ttft) < 500ms', 'mean(e2e) <= 2s', 'error_rate < 1%', 'goodput > 10/s'";
  const match = THRESHOLD_PATTERN.exec(expr);
  if (match === null) return { ok: false, message: `cannot read threshold '${expr}'`, hint };
  const [, head = '', inner, op = '<', limitText = ''] = match;
  if (inner !== undefined) {
    if (!STATS.includes(head as Stat))
      return {
        ok: false,
        message: `unknown statistic '${head}' in '${expr}'`,
        hint: `statistics: ${STATS.join(', ')}`,
      };
    if (!LATENCY_METRICS.includes(inner as LatencyMetric)) {
      return {
        ok: false,
        message: `unknown metric '${inner}' in '${expr}'`,
        hint: `metrics: ${LATENCY_METRICS.join(', ')}`,
      };
    }
    if (!/[a-zµ]$/.test(limitText))
      return { ok: false, message: `'${limitText}' in '${expr}' needs a time unit`, hint: 'add ms, s or us' };
    const limitMs = parseDurationMs(limitText);
    if (limitMs === null) return { ok: false, message: `'${limitText}' in '${expr}' is not a duration`, hint };
    return {
      ok: true,
      value: {
        expr: expr.trim(),
        kind: 'latency',
        stat: head as Stat,
        metric: inner as LatencyMetric,
        op: op as Comparison,
        limit: limitMs,
      },
    };
  }
  if (!RATE_METRICS.includes(head as RateMetric)) {
    return {
      ok: false,
      message: `unknown metric '${head}' in '${expr}'`,
      hint: `metrics: ${RATE_METRICS.join(', ')}, or stat(metric) such as p95(ttft)`,
    };
  }
  const limit = parseRateLimit(head as RateMetric, limitText);
  if (limit === null) return { ok: false, message: `'${limitText}' in '${expr}' is not a number`, hint };
  return {
    ok: true,
    value: { expr: expr.trim(), kind: 'rate', metric: head as RateMetric, op: op as Comparison, limit },
  };
}

/** What a threshold reads: a run's or one sweep step's latency percentiles, throughput, achieved rate and error rate. */
export interface ThresholdView {
  latencyMs: Partial<Record<LatencyMetric, Partial<Record<Stat, number>> | null>>;
  throughput: { requestsPerS: number; outputTokensPerS: number; goodputPerS: number | null };
  achievedPerS: number | null;
  errorRate: number | null;
}

/** The value a threshold compares with its limit; null when it was not measured. */
export function thresholdValue(threshold: Threshold, view: ThresholdView): number | null {
  if (threshold.kind === 'latency') return view.latencyMs[threshold.metric]?.[threshold.stat] ?? null;
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
    throughput: summary.throughput,
    achievedPerS: summary.rate.achievedPerS,
    errorRate: errorRate(summary),
  });
}

/** Evaluates thresholds on a summary; a metric that was not measured fails its threshold. */
export function evaluateThresholds(thresholds: readonly Threshold[], summary: EfficiencySummary): ThresholdResult[] {
  return thresholds.map((threshold) => {
    const value = measured(threshold, summary);
    return { expr: threshold.expr, value, pass: value !== null && compare(value, threshold.op, threshold.limit) };
  });
}

const SLO_METRICS: readonly (keyof RequestTimingsNs)[] = [
  'e2e',
  'e2eFromIntended',
  'scheduleLag',
  'ttft',
  'ttfo',
  'tpot',
];
const SLO_PATTERN = /^\s*([A-Za-z]+)\s*(<=|<)\s*(\S+)\s*$/;

/** Parses a per-request SLO such as `ttft < 500ms`. */
export function parseSlo(expr: string): Parsed<Slo> {
  const hint = `write '<metric> < <duration>', e.g. 'ttft < 500ms'; metrics: ${SLO_METRICS.join(', ')}`;
  const match = SLO_PATTERN.exec(expr);
  if (match === null) return { ok: false, message: `cannot read SLO '${expr}'`, hint };
  const [, metric = '', op = '<', limitText = ''] = match;
  if (!SLO_METRICS.includes(metric as keyof RequestTimingsNs))
    return { ok: false, message: `unknown SLO metric '${metric}'`, hint };
  const limitMs = /[a-zµ]$/.test(limitText) ? parseDurationMs(limitText) : null;
  if (limitMs === null)
    return { ok: false, message: `'${limitText}' in '${expr}' is not a duration with a unit`, hint };
  return {
    ok: true,
    value: {
      expr: expr.trim(),
      metric: metric as keyof RequestTimingsNs,
      op: op as '<' | '<=',
      limitNs: limitMs * 1e6,
    },
  };
}
