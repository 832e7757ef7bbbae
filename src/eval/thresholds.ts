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
import { LATENCY_METRICS, type LatencyMetric, type LatencyStats, type ThresholdResult } from '../core/types.js';
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
  | { expr: string; kind: 'latency'; stat: Statistic; metric: LatencyMetric; op: Comparison; limit: number }
  | { expr: string; kind: 'efficiency'; metric: EfficiencyName; op: Comparison; limit: number };

/**
 * Parses an eval threshold (the grammar of core/threshold-grammar.ts): `accuracy >= 0.9`, `f1_macro >= 80%`,
 * `lower(accuracy) > 0.85`, `p95(latency) < 800ms`, `cost_per_case < 0.001`, `error_rate < 1%`; `metrics` are the
 * names the suite can report.
 */
export function parseEvalThreshold(expr: string, metrics: readonly string[]): Parsed<EvalThreshold> {
  const hint = "write e.g. 'accuracy >= 0.9', 'lower(f1_macro) > 0.8', 'p95(latency) < 800ms', 'cost_per_case < 0.001'";
  const parts = thresholdParts(expr, hint);
  if (!parts.ok) return parts;
  const { fn, name, op, limitText } = parts.value;
  const trimmed = parts.value.expr;
  if (fn !== null) {
    if (fn === 'lower' || fn === 'upper') {
      if (!metrics.includes(name))
        return {
          ok: false,
          message: `unknown metric '${name}' in '${expr}'`,
          hint: `this suite reports: ${metrics.join(', ')}`,
        };
      const limit = numberLimit(limitText);
      if (limit === null) return { ok: false, message: `'${limitText}' in '${expr}' is not a number`, hint };
      return { ok: true, value: { expr: trimmed, kind: 'metric', metric: name, bound: fn, op, limit } };
    }
    if (!isStatistic(fn))
      return {
        ok: false,
        message: `unknown function '${fn}' in '${expr}'`,
        hint: `use lower(), upper() or a statistic: ${STATISTICS.join(', ')}`,
      };
    const latency = LATENCY_NAMES[name];
    if (latency === undefined)
      return {
        ok: false,
        message: `unknown latency '${name}' in '${expr}'`,
        hint: `latencies: latency, ${LATENCY_METRICS.join(', ')}`,
      };
    const limitMs = durationLimitMs(limitText);
    if (limitMs === null)
      return {
        ok: false,
        message: `'${limitText}' in '${expr}' is not a duration with a unit`,
        hint: 'add ms or s, e.g. 800ms',
      };
    return { ok: true, value: { expr: trimmed, kind: 'latency', stat: fn, metric: latency, op, limit: limitMs } };
  }
  const limit = numberLimit(limitText);
  if (limit === null) return { ok: false, message: `'${limitText}' in '${expr}' is not a number`, hint };
  if (isOneOf(EFFICIENCY_NAMES, name))
    return { ok: true, value: { expr: trimmed, kind: 'efficiency', metric: name, op, limit } };
  if (!metrics.includes(name))
    return {
      ok: false,
      message: `unknown metric '${name}' in '${expr}'`,
      hint: `this suite reports: ${[...metrics, ...EFFICIENCY_NAMES].join(', ')}`,
    };
  return { ok: true, value: { expr: trimmed, kind: 'metric', metric: name, bound: 'value', op, limit } };
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
  return evaluateWith(thresholds, (t) => {
    if (t.kind === 'latency') return inputs.latencyMs[t.metric]?.[t.stat] ?? null;
    if (t.kind === 'efficiency') return inputs.efficiency[t.metric];
    const metric = inputs.metrics[t.metric];
    if (metric === undefined) return null;
    return t.bound === 'value' ? metric.value : (metric.ci?.[t.bound === 'lower' ? 0 : 1] ?? null);
  });
}
