import type { LatencyStats, ThresholdResult } from './types.js';
import { parseDurationMs } from './units.js';

/**
 * The one grammar of thresholds, for every run kind: `name op limit` or `function(name) op limit`, e.g.
 * `error_rate < 1%`, `p95(ttft) < 500ms`, `lower(accuracy) > 0.8`. What a name and a function mean is each run
 * kind's vocabulary (bench in efficiency/, eval in eval/); the form, the comparisons, the statistics and the ways
 * to write a limit are defined here once.
 */
export type Comparison = '<' | '<=' | '>' | '>=';

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string; hint: string };

/** The statistics of a latency distribution a threshold can name. */
export type Statistic = keyof Omit<LatencyStats, 'count'>;
export const STATISTICS: readonly Statistic[] = ['p50', 'p90', 'p95', 'p99', 'p999', 'mean', 'min', 'max', 'stddev'];

const COMPARISONS: readonly Comparison[] = ['<', '<=', '>', '>='];

/** A threshold taken apart, before a vocabulary says what its names mean. */
export interface ThresholdParts {
  expr: string;
  /** The function around the name (`p95`, `lower`), null for a bare name. */
  fn: string | null;
  name: string;
  op: Comparison;
  limitText: string;
}

const PATTERN = /^\s*(?:([a-z0-9_]+)\(\s*([A-Za-z0-9_.-]+)\s*\)|([A-Za-z0-9_.-]+))\s*(<=|>=|<|>)\s*(\S+)\s*$/;

/** Whether `text` is one of `names`: how each vocabulary checks the names and functions it knows. */
export function isOneOf<T extends string>(names: readonly T[], text: string): text is T {
  return names.some((name) => name === text);
}

export function isStatistic(text: string): text is Statistic {
  return isOneOf(STATISTICS, text);
}

function isComparison(text: string): text is Comparison {
  return isOneOf(COMPARISONS, text);
}

/** Takes a threshold apart; `hint` shows the forms this run kind accepts when it cannot. */
export function thresholdParts(expr: string, hint: string): Parsed<ThresholdParts> {
  const match = PATTERN.exec(expr);
  const op = match?.[4] ?? '';
  if (match === null || !isComparison(op)) return { ok: false, message: `cannot read threshold '${expr}'`, hint };
  const [, fn, inner, plain, , limitText = ''] = match;
  return {
    ok: true,
    value: { expr: expr.trim(), fn: fn ?? null, name: inner ?? plain ?? '', op, limitText },
  };
}

/** A threshold taken apart whose limit must be a number (counts, shares, rates): the limit read, or why not. */
export function numericThresholdParts(expr: string, hint: string): Parsed<ThresholdParts & { limit: number }> {
  const parts = thresholdParts(expr, hint);
  if (!parts.ok) return parts;
  const limit = numberLimit(parts.value.limitText);
  if (limit === null) return { ok: false, message: `'${parts.value.limitText}' in '${expr}' is not a number`, hint };
  return { ok: true, value: { ...parts.value, limit } };
}

/** A number limit: `0.9`, `90%` (a share), or `10/s` (a rate); null when it is none of these. */
export function numberLimit(text: string): number | null {
  const percent = /^(-?\d+(?:\.\d+)?)%$/.exec(text);
  if (percent?.[1] !== undefined) return Number(percent[1]) / 100;
  const n = Number(text.replace(/\/s$/, ''));
  return text !== '' && Number.isFinite(n) ? n : null;
}

/** A duration limit in milliseconds, which must carry its unit (`500ms`, `2s`); null without one. */
export function durationLimitMs(text: string): number | null {
  return /[a-zµ]$/.test(text) ? parseDurationMs(text) : null;
}

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

/** A parsed threshold of any run kind: its expression, comparison and limit. */
export interface ThresholdRule {
  expr: string;
  op: Comparison;
  limit: number;
}

/**
 * Evaluates thresholds with a run kind's lookup of the value each one reads; a value that was not measured (null,
 * or not finite) fails its threshold.
 */
export function evaluateWith<T extends ThresholdRule>(
  thresholds: readonly T[],
  valueOf: (threshold: T) => number | null,
): ThresholdResult[] {
  return thresholds.map((threshold) => {
    const value = valueOf(threshold);
    if (value === null || !Number.isFinite(value)) return { expr: threshold.expr, value: null, pass: false };
    return { expr: threshold.expr, value, pass: compare(value, threshold.op, threshold.limit) };
  });
}
