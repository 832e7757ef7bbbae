import { describe, expect, it } from 'vitest';
import { ArrivalRates } from './arrival-rates.js';
import { scalingAdvice } from './scaling-advice.js';

describe('ArrivalRates', () => {
  it('gives the last minute mean and the highest one-minute mean of the last hour', () => {
    const rates = new ArrivalRates(0);
    // 10/s for the first two minutes, then 2/s for ten minutes.
    for (let s = 0; s < 120; s += 1) for (let k = 0; k < 10; k += 1) rates.add(s * 1000 + k);
    expect(rates.currentPerS(119_500)).toBe(10);
    for (let s = 120; s < 720; s += 1) for (let k = 0; k < 2; k += 1) rates.add(s * 1000 + k);
    expect(rates.currentPerS(719_500)).toBe(2);
    expect(rates.peakPerS(719_500)).toBe(10);
    // An hour and more later, the burst has left the history.
    for (let s = 720; s < 5000; s += 1) rates.add(s * 1000);
    expect(rates.peakPerS(4_999_500)).toBe(1);
  });

  it('before a minute has passed, divides by the seconds since the start', () => {
    const rates = new ArrivalRates(0);
    for (let k = 0; k < 30; k += 1) rates.add(k * 100);
    expect(rates.currentPerS(9_999)).toBe(3);
  });

  it('a long silence clears the history', () => {
    const rates = new ArrivalRates(0);
    rates.add(0);
    expect(rates.currentPerS(10_000_000)).toBe(0);
    expect(rates.peakPerS(10_000_000)).toBe(0);
  });
});

describe('scalingAdvice', () => {
  const capacity = { perReplicaPerS: 10, headroom: 0.3, source: '10/s as given' };

  it('replicas = ceil(rate × (1 + headroom) / per-replica rate), at least one', () => {
    const advice = scalingAdvice(20, 40, { ...capacity, replicas: null });
    expect(advice.neededNow).toBe(3);
    expect(advice.neededAtPeak).toBe(6);
    expect(advice.action).toBeNull();
    expect(scalingAdvice(0, 0, { ...capacity, replicas: null }).neededNow).toBe(1);
  });

  it('scales up on the current load, down only when the peak allows it', () => {
    expect(scalingAdvice(20, 20, { ...capacity, replicas: 2 })).toMatchObject({ action: 'scale-up', utilization: 1 });
    expect(scalingAdvice(5, 40, { ...capacity, replicas: 4 }).action).toBe('hold');
    const down = scalingAdvice(5, 12, { ...capacity, replicas: 4 });
    expect(down.action).toBe('scale-down');
    expect(down.message).toContain('scale down from 4 to 2');
  });

  it('cautions when the live requests miss their SLOs although the plan says the replicas suffice', () => {
    const missing = scalingAdvice(12, 12, { ...capacity, replicas: 2 }, 0.8);
    expect(missing.action).toBe('hold');
    expect(missing.goodShare).toBe(0.8);
    expect(missing.message).toContain("only 80.0% of the last minute's requests met the SLOs");
    expect(scalingAdvice(12, 12, { ...capacity, replicas: 2 }, 0.99).message).not.toContain('met the SLOs');
    expect(scalingAdvice(30, 30, { ...capacity, replicas: 2 }, 0.5).message).not.toContain('met the SLOs');
  });
});
