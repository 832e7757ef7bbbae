import { describe, expect, it } from 'vitest';
import { seededRandom } from '../core/random.js';
import { compareBenchRuns, type ComparedRun } from './bench-comparison.js';
import { LatencyHistogram } from './latency-histogram.js';

/** A run whose ttft and e2e are `n` draws of 10–20 ms plus `shiftMs`. */
function run(id: string, n: number, shiftMs: number, seed: number): ComparedRun {
  const random = seededRandom(seed);
  const ttft = new LatencyHistogram();
  const e2e = new LatencyHistogram();
  for (let i = 0; i < n; i += 1) {
    const ms = 10 + 10 * random() + shiftMs;
    ttft.recordNs(ms * 1e6);
    e2e.recordNs((ms + 20) * 1e6);
  }
  return {
    runId: id,
    target: { name: 'sim' },
    requests: { completed: n },
    histograms: { ttft: ttft.serialize().encoded ?? '', e2e: e2e.serialize().encoded ?? '' },
  };
}

const OPTIONS = { alpha: 0.05, resamples: 1000, seed: 1 };

describe('comparing two bench runs', () => {
  it('finds a 5 ms shift in every statistic, with intervals around it, and says so', () => {
    const result = compareBenchRuns(run('a', 2000, 0, 1), run('b', 2000, 5, 2), OPTIONS);
    expect(result.differences).toHaveLength(10);
    for (const d of result.differences.filter((row) => row.statistic !== 'p99')) {
      expect(d.significant).toBe(true);
      expect(d.differenceCi[0]).toBeLessThan(5.6);
      expect(d.differenceCi[1]).toBeGreaterThan(4.4);
    }
    const p50 = result.differences.find((d) => d.metric === 'ttft' && d.statistic === 'p50');
    expect(p50?.relative).toBeCloseTo(5 / 15, 1);
    expect(p50?.sentence).toMatch(/^B's p50 ttft is 3\d% \[\d+%, \d+%\] higher \(p < 0\.001 after Holm\)$/);
  });

  it('finds no difference between a run and itself, and notes metrics only one run has', () => {
    const a = run('a', 500, 0, 3);
    const result = compareBenchRuns(a, { ...a, runId: 'b', histograms: { ttft: a.histograms?.ttft ?? '' } }, OPTIONS);
    expect(result.differences.every((d) => !d.significant && d.differenceMs === 0)).toBe(true);
    expect(result.differences.every((d) => d.differenceCi[0] <= 0 && d.differenceCi[1] >= 0)).toBe(true);
    expect(result.notes).toEqual([
      'e2e: measured in one run only (or stored before distributions were kept); not compared',
    ]);
  });
});
