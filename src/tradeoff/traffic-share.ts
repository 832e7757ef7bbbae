import type { TradeoffCandidate } from './tradeoff.js';

/** Metrics that are a mean over cases, so that a mix of targets scores the mix of their values. */
export const MEAN_METRICS: readonly string[] = ['accuracy', 'pass_rate'];

/** How much of the serving target's traffic a cheaper target could take while the metric stays above the bar. */
export interface TrafficShare {
  from: string;
  to: string;
  /** The share of requests to route to `to`, in [0, 1], rounded down to a whole percent. */
  share: number;
  /** The lower bound of the mix's metric at that share: (1 − s)·lower(from) + s·lower(to). */
  lowerBound: number;
  /** Cost per 1,000 requests saved at that share (null without pricing on both). */
  savingPer1k: number | null;
  reason: string;
}

function lower(c: TradeoffCandidate): number {
  return c.accuracy.ci?.[0] ?? c.accuracy.value;
}

/**
 * For each target cheaper than the serving one, the largest share of traffic it could take while the metric of the
 * mix stays at or above `bar`. Requests routed at random give the mix the weighted mean of the two targets' metric;
 * its lower bound is taken as the same mix of their lower interval bounds, which holds when both intervals do (so it
 * is conservative: it ignores that the runs answered the same cases). Shares are rounded down to whole percents.
 */
export function trafficShares(
  serving: TradeoffCandidate,
  candidates: readonly TradeoffCandidate[],
  bar: number,
): TrafficShare[] {
  const from = lower(serving);
  return candidates
    .filter(
      (c) =>
        c !== serving &&
        c.costPer1kRequests !== null &&
        serving.costPer1kRequests !== null &&
        c.costPer1kRequests < serving.costPer1kRequests,
    )
    .map((c) => {
      const to = lower(c);
      let share: number;
      if (from < bar) share = 0;
      else if (to >= bar) share = 1;
      else share = Math.floor(((from - bar) / (from - to)) * 100 + 1e-9) / 100;
      const lowerBound = (1 - share) * from + share * to;
      const saving = (serving.costPer1kRequests ?? 0) - (c.costPer1kRequests ?? 0);
      const reason =
        from < bar
          ? `${serving.target} itself does not clear ${bar} with confidence (lower bound ${from.toFixed(3)}): no share can move`
          : share === 1
            ? `${c.target} clears ${bar} on its own (lower bound ${to.toFixed(3)}): all traffic can move`
            : `up to ${Math.round(share * 100)}% of ${serving.target}'s requests can go to ${c.target} with the mix's lower bound at ${lowerBound.toFixed(3)} ≥ ${bar}`;
      return { from: serving.target, to: c.target, share, lowerBound, savingPer1k: share * saving, reason };
    });
}
