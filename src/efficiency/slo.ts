import type { RequestTimingsNs } from './request-metrics.js';

/** A per-request service-level objective, e.g. `ttft < 500ms`. Goodput counts requests that meet all of them. */
export interface Slo {
  expr: string;
  metric: keyof RequestTimingsNs;
  op: '<' | '<=';
  limitNs: number;
}

/** True when the request's timings meet every SLO; a metric that was not measured misses its SLO. */
export function meetsSlos(timings: RequestTimingsNs, slos: readonly Slo[]): boolean {
  for (const slo of slos) {
    const value = timings[slo.metric];
    if (value === null) return false;
    if (slo.op === '<' ? !(value < slo.limitNs) : !(value <= slo.limitNs)) return false;
  }
  return true;
}
