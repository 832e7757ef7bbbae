import { LATENCY_METRICS, type LatencyMetric, type LatencyStats, type ThresholdResult } from '../core/types.js';
import { parseDurationMs } from '../core/units.js';
import { compare, type Comparison, type Parsed } from '../efficiency/thresholds.js';

type Stat = keyof Omit<LatencyStats, 'count'>;
const STATS: readonly Stat[] = ['p50', 'p90', 'p95', 'p99', 'p999', 'mean', 'min', 'max', 'stddev'];
/** `latency` is the end-to-end latency. */
const LATENCY_NAMES: Record<string, LatencyMetric> = {
  latency: 'e2e',
  ...Object.fromEntries(LATENCY_METRICS.map((m) => [m, m])),
};
export const EFFICIENCY_NAMES = [
  'error_rate',
  'cost_per_case',
  'cost_total',
  'cost_per_1k',
  'cost_per_correct',
  'unscored_rate',
] as const;
type EfficiencyName = (typeof EFFICIENCY_NAMES)[number];

/** An acceptance rule of an eval: on an accuracy metric (or a bound of its interval), a latency statistic, errors or cost. */
export type EvalThreshold =
  | { expr: string; kind: 'metric'; metric: string; bound: 'value' | 'lower' | 'upper'; op: Comparison; limit: number }
  | { expr: string; kind: 'latency'; stat: Stat; metric: LatencyMetric; op: Comparison; limit: number }
  | { expr: string; kind: 'efficiency'; metric: EfficiencyName; op: Comparison; limit: number };

const PATTERN = /^\s*(?:([a-z0-9_]+)\(\s*([A-Za-z0-9_.-]+)\s*\)|([A-Za-z0-9_.-]+))\s*(<=|>=|<|>)\s*(\S+)\s*$/;

function number(text: string): number | null {
  const percent = /^(-?\d+(?:\.\d+)?)%$/.exec(text);
  if (percent?.[1] !== undefined) return Number(percent[1]) / 100;
  const n = Number(text);
  return text !== '' && Number.isFinite(n) ? n : null;
}

/**
 * Parses `accuracy >= 0.9`, `f1_macro >= 80%`, `lower(accuracy) > 0.85`, `p95(latency) < 800ms`,
 * `cost_per_case < 0.001`, `error_rate < 1%`; `metrics` are the names the suite can report.
 */
export function parseEvalThreshold(expr: string, metrics: readonly string[]): Parsed<EvalThreshold> {
  const hint = "write e.g. 'accuracy >= 0.9', 'lower(f1_macro) > 0.8', 'p95(latency) < 800ms', 'cost_per_case < 0.001'";
  const match = PATTERN.exec(expr);
  if (match === null) return { ok: false, message: `cannot read threshold '${expr}'`, hint };
  const [, fn, inner, plain, op = '<', limitText = ''] = match;
  const comparison = op as Comparison;
  if (fn !== undefined && inner !== undefined) {
    if (fn === 'lower' || fn === 'upper') {
      if (!metrics.includes(inner))
        return {
          ok: false,
          message: `unknown metric '${inner}' in '${expr}'`,
          hint: `this suite reports: ${metrics.join(', ')}`,
        };
      const limit = number(limitText);
      if (limit === null) return { ok: false, message: `'${limitText}' in '${expr}' is not a number`, hint };
      return {
        ok: true,
        value: { expr: expr.trim(), kind: 'metric', metric: inner, bound: fn, op: comparison, limit },
      };
    }
    if (!STATS.includes(fn as Stat))
      return {
        ok: false,
        message: `unknown function '${fn}' in '${expr}'`,
        hint: `use lower(), upper() or a statistic: ${STATS.join(', ')}`,
      };
    const latency = LATENCY_NAMES[inner];
    if (latency === undefined)
      return {
        ok: false,
        message: `unknown latency '${inner}' in '${expr}'`,
        hint: `latencies: latency, ${LATENCY_METRICS.join(', ')}`,
      };
    const limitMs = /[a-zµ]$/.test(limitText) ? parseDurationMs(limitText) : null;
    if (limitMs === null)
      return {
        ok: false,
        message: `'${limitText}' in '${expr}' is not a duration with a unit`,
        hint: 'add ms or s, e.g. 800ms',
      };
    return {
      ok: true,
      value: { expr: expr.trim(), kind: 'latency', stat: fn as Stat, metric: latency, op: comparison, limit: limitMs },
    };
  }
  const name = plain ?? '';
  const limit = number(limitText);
  if (limit === null) return { ok: false, message: `'${limitText}' in '${expr}' is not a number`, hint };
  if ((EFFICIENCY_NAMES as readonly string[]).includes(name))
    return {
      ok: true,
      value: { expr: expr.trim(), kind: 'efficiency', metric: name as EfficiencyName, op: comparison, limit },
    };
  if (!metrics.includes(name))
    return {
      ok: false,
      message: `unknown metric '${name}' in '${expr}'`,
      hint: `this suite reports: ${[...metrics, ...EFFICIENCY_NAMES].join(', ')}`,
    };
  return {
    ok: true,
    value: { expr: expr.trim(), kind: 'metric', metric: name, bound: 'value', op: comparison, limit },
  };
}

export interface ThresholdInputs {
  metrics: Record<string, { value: number; ci: [number, number] | null }>;
  latencyMs: Record<LatencyMetric, LatencyStats | null>;
  efficiency: Record<EfficiencyName, number | null>;
}

/** Evaluates thresholds; an unmeasured value (no cost without pricing, no latency when every answer came from the cache) fails. */
export function evaluateEvalThresholds(
  thresholds: readonly EvalThreshold[],
  inputs: ThresholdInputs,
): ThresholdResult[] {
  return thresholds.map((t) => {
    let value: number | null;
    if (t.kind === 'latency') value = inputs.latencyMs[t.metric]?.[t.stat] ?? null;
    else if (t.kind === 'efficiency') value = inputs.efficiency[t.metric];
    else {
      const metric = inputs.metrics[t.metric];
      value =
        metric === undefined
          ? null
          : t.bound === 'value'
            ? metric.value
            : (metric.ci?.[t.bound === 'lower' ? 0 : 1] ?? null);
    }
    if (value === null || !Number.isFinite(value)) return { expr: t.expr, value: null, pass: false };
    return { expr: t.expr, value, pass: compare(value, t.op, t.limit) };
  });
}
