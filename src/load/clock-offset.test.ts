import { describe, expect, it } from 'vitest';
import { clockOffsetOf } from './clock-offset.js';
import { specOnClock, stateOnOurClock } from './shifted-clock.js';
import { MetricsRecorder } from '../efficiency/recorder.js';

describe('clockOffsetOf', () => {
  it('takes the shortest round trip and bounds the offset by half of it', () => {
    // The other clock reads 1,000,000 ns ahead; its answers were read 30% into each round trip.
    const probe = (sentAtNs: number, roundTripNs: number): Parameters<typeof clockOffsetOf>[0][number] => ({
      sentAtNs,
      receivedAtNs: sentAtNs + roundTripNs,
      remoteAtNs: sentAtNs + 0.3 * roundTripNs + 1_000_000,
      localWallMs: 1000,
      remoteWallMs: 1000 + sentAtNs / 1e9,
    });
    const offset = clockOffsetOf([probe(0, 800_000), probe(5_000_000, 200_000), probe(9_000_000, 400_000)]);
    expect(offset.roundTripNs).toBe(200_000);
    expect(offset.uncertaintyNs).toBe(100_000);
    expect(offset.offsetNs).toBe(1_000_000 - 40_000);
    expect(Math.abs(offset.offsetNs - 1_000_000)).toBeLessThanOrEqual(offset.uncertaintyNs);
    expect(offset.wallOffsetMs).toBeCloseTo(0.005, 9);
    expect(offset.probes).toBe(3);
    expect(() => clockOffsetOf([])).toThrow(/no clock probe/);
  });

  it("moves a step's instants onto the other clock and a state's back", () => {
    const spec = specOnClock(
      {
        shardIndex: 0,
        shardCount: 2,
        step: { kind: 'closed', label: 'c', users: 2, targetRatePerS: null },
        startAt: 100,
        stopSendingAt: 200,
        maxRequests: null,
        window: { kind: 'time', startAt: 110, endAt: Infinity },
        slos: [],
      },
      -50,
    );
    expect([spec.startAt, spec.stopSendingAt, spec.window]).toEqual([
      50,
      150,
      { kind: 'time', startAt: 60, endAt: Infinity },
    ]);
    const state = new MetricsRecorder(null, []).serialize();
    const moved = stateOnOurClock({ ...state, counts: { ...state.counts, firstDueAt: 60, lastEndedAt: 140 } }, -50);
    expect([moved.counts.firstDueAt, moved.counts.lastEndedAt]).toEqual([110, 190]);
    expect(stateOnOurClock(state, -50).counts.firstDueAt).toBeNull();
  });
});
