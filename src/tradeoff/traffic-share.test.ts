import { describe, expect, it } from 'vitest';
import type { TradeoffCandidate } from './tradeoff.js';
import { trafficShares } from './traffic-share.js';

function candidate(target: string, value: number, ci: [number, number], cost: number | null): TradeoffCandidate {
  return {
    runId: target,
    target,
    accuracy: { value, ci, se: null, n: 100 },
    p95LatencyMs: 10,
    p95TtftMs: null,
    costPer1kRequests: cost,
    costPerCorrect: null,
    energyPerRequestJ: null,
    pareto: true,
    dominatedBy: [],
  };
}

describe('trafficShares', () => {
  const big = candidate('big', 0.95, [0.9, 0.98], 10);
  it('the largest whole percent whose mix of lower bounds stays at the bar', () => {
    const small = candidate('small', 0.8, [0.7, 0.88], 2);
    const [share] = trafficShares(big, [big, small], 0.85);
    // (0.9 − 0.85) / (0.9 − 0.7) = 25%.
    expect(share).toMatchObject({ from: 'big', to: 'small', share: 0.25, savingPer1k: 2 });
    expect(share?.lowerBound).toBeCloseTo(0.85, 12);
  });

  it('all traffic when the cheaper target clears the bar alone, none when the serving one does not', () => {
    const good = candidate('good', 0.94, [0.88, 0.97], 1);
    expect(trafficShares(big, [good], 0.85)[0]?.share).toBe(1);
    expect(trafficShares(big, [good], 0.92)[0]).toMatchObject({ share: 0, savingPer1k: 0 });
    expect(trafficShares(big, [good], 0.92)[0]?.reason).toContain('big itself does not clear 0.92');
  });

  it('leaves out targets that cost as much or more, or have no price', () => {
    expect(
      trafficShares(big, [candidate('dear', 0.9, [0.8, 0.95], 12), candidate('free?', 0.9, [0.8, 0.95], null)], 0.85),
    ).toEqual([]);
  });
});
