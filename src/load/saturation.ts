import { linearTrend } from '../stats/linear-trend.js';

/** A look at a running step: seconds since it started, requests sent so far and in flight. */
export interface QueueObservation {
  atS: number;
  sent: number;
  inFlight: number;
}

/** When a step is judged, and how clear the growth must be (docs/metrics.md, "Capacity search"). */
export const SATURATION_RULES = {
  /** No verdict before this many seconds, nor before this share of the step. */
  minElapsedS: 2,
  minStepShare: 0.25,
  /** Looks taken in the judged window (its later half) at least. */
  minObservations: 6,
  /** In flight must grow by at least this many requests over the window. */
  minGrowth: 8,
  /** Requests must be finishing (at least this many in the window), at below this share of the arrival rate. */
  minFinished: 10,
  finishedShare: 0.9,
} as const;

/**
 * Whether a step is clearly over-saturated, and why: requests arrive faster than the server finishes them, so the
 * requests in flight grow without bound. Judged on the later half of the step so far (the first half holds the
 * queue filling up to its steady level), once enough time has passed: the slope of requests in flight over time
 * must be positive at 95% confidence, the growth at least `minGrowth` requests, and requests must be finishing (so
 * the responses' own length is past) at under 90% of the rate they are sent. Null while the step looks sustainable.
 */
export function overSaturation(observations: readonly QueueObservation[], stepDurationS: number): string | null {
  const last = observations.at(-1);
  if (last === undefined) return null;
  const rules = SATURATION_RULES;
  if (last.atS < Math.max(rules.minElapsedS, rules.minStepShare * stepDurationS)) return null;
  const window = observations.filter((o) => o.atS >= last.atS / 2);
  const first = window[0];
  if (first === undefined || window.length < rules.minObservations) return null;
  const spanS = last.atS - first.atS;
  const sent = last.sent - first.sent;
  const finished = sent - (last.inFlight - first.inFlight);
  const growth = last.inFlight - first.inFlight;
  if (!(spanS > 0) || growth < rules.minGrowth || finished < rules.minFinished) return null;
  if (finished >= rules.finishedShare * sent) return null;
  const trend = linearTrend(
    window.map((o) => o.atS),
    window.map((o) => o.inFlight),
  );
  if (trend === null || !(trend.slopeInterval[0] > 0)) return null;
  return `over-saturated after ${last.atS.toFixed(1)} s: requests in flight rose from ${first.inFlight} to ${last.inFlight} (${trend.slope.toFixed(1)}/s) while ${(finished / spanS).toFixed(1)} finished per second of ${(sent / spanS).toFixed(1)} sent`;
}
