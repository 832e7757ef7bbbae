import type { Exchange } from '../core/types.js';

/**
 * Which requests count in the statistics: warm-up and cool-down are left out.
 * Time-based windows (duration-limited runs) compare the actual send time with the window's bounds;
 * count-based windows (request-limited runs) compare the request's position in the run.
 */
export type MeasurementWindow =
  | { kind: 'time'; startAt: number; endAt: number }
  | { kind: 'count'; firstIndex: number; endIndex: number };

/** True when the exchange belongs to the measured part of the run. */
export function windowIncludes(window: MeasurementWindow, exchange: Exchange): boolean {
  if (window.kind === 'time') return exchange.sentAt >= window.startAt && exchange.sentAt <= window.endAt;
  return exchange.index >= window.firstIndex && exchange.index < window.endIndex;
}
