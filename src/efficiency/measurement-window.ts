import type { Exchange } from '../core/types.js';

/**
 * Which requests count in the statistics: warm-up and cool-down are left out.
 * Time-based windows (duration-limited runs) compare the intended (open loop) or actual send time with the window's bounds;
 * count-based windows (request-limited runs) compare the request's position in the run.
 */
export type MeasurementWindow =
  { kind: 'time'; startAt: number; endAt: number } | { kind: 'count'; firstIndex: number; endIndex: number };

/**
 * True when the exchange belongs to the measured part of the run. Open-loop requests belong to the window they
 * were due in, so a backlog sent late cannot inflate the achieved rate; closed-loop requests to the one they were sent in.
 */
export function windowIncludes(window: MeasurementWindow, exchange: Exchange): boolean {
  if (window.kind === 'time') {
    const at = exchange.intendedAt ?? exchange.sentAt;
    return at >= window.startAt && at < window.endAt;
  }
  return exchange.index >= window.firstIndex && exchange.index < window.endIndex;
}

/**
 * Whether a request ended inside a time window, whenever it was sent: throughputs count these completions, so a
 * closed loop's opening burst and the requests still in flight when the window closes (they drain after it, and
 * count toward nothing) cannot inflate them. It is the rate a server's own completion counter shows.
 */
export function endsInWindow(window: { startAt: number; endAt: number }, exchange: Exchange): boolean {
  return exchange.endedAt >= window.startAt && exchange.endedAt < window.endAt;
}
