import { describe, expect, it } from 'vitest';
import { overSaturation, type QueueObservation } from './saturation.js';

/**
 * Looks every 0.25 s at requests sent at `rate` per second to a server that finishes them `fillS` after they are
 * sent while it can (its response time), at most `capacity` per second.
 */
function queue(rate: number, capacity: number, untilS: number, fillS = 0.5): QueueObservation[] {
  const out: QueueObservation[] = [];
  for (let atS = 0.25; atS <= untilS + 1e-9; atS += 0.25) {
    const sent = Math.floor(rate * atS);
    const finished = atS < fillS ? 0 : Math.floor(Math.min(rate, capacity) * (atS - fillS));
    out.push({ atS, sent, inFlight: sent - finished });
  }
  return out;
}

describe('over-saturation', () => {
  it('is found when requests arrive faster than they finish, with the rates in its reason', () => {
    const reason = overSaturation(queue(40, 20, 3), 10);
    expect(reason).toMatch(
      /^over-saturated after 3\.0 s: requests in flight rose from \d+ to \d+ \(2\d\.\d\/s\) while 2\d\.\d finished per second of 4\d\.\d sent$/,
    );
  });

  it('is not found for a server that keeps up, however long its responses make the queue fill', () => {
    // 20/s into a server of 25/s whose responses take 1.5 s: 30 in flight at steady state.
    expect(overSaturation(queue(20, 25, 8, 1.5), 10)).toBeNull();
    // Responses longer than the judged window: nothing finishes yet, so no verdict.
    expect(overSaturation(queue(20, 25, 3, 4), 10)).toBeNull();
  });

  it('waits for two seconds and a quarter of the step', () => {
    expect(overSaturation(queue(40, 20, 1.75), 4)).toBeNull();
    expect(overSaturation(queue(40, 20, 2.25), 20)).toBeNull();
    expect(overSaturation(queue(40, 20, 5), 20)).not.toBeNull();
  });

  it('needs growth of several requests, not noise at small counts', () => {
    expect(overSaturation(queue(4, 3, 6), 10)).toBeNull();
  });
});
