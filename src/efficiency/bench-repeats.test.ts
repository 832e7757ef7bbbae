import { describe, expect, it } from 'vitest';
import { repeatedStatistic } from './bench-repeats.js';

describe('a statistic over repeats', () => {
  it("has the mean, the n − 1 standard deviation and Student's t interval (scipy: t.interval(0.95, 3, 2.5, sem))", () => {
    const s = repeatedStatistic('p50(ttft)', 'ms', [1, 2, null, 3, 4], 0.95);
    expect(s.mean).toBe(2.5);
    expect(s.sd).toBeCloseTo(1.2909944487358056, 12);
    // scipy.stats.t.interval(0.95, 3, loc=2.5, scale=1.2909944487358056 / 2) = (0.44573..., 4.55426...)
    expect(s.ci?.[0]).toBeCloseTo(0.4457397432391206, 9);
    expect(s.ci?.[1]).toBeCloseTo(4.554260256760879, 9);
    expect([s.min, s.max]).toEqual([1, 4]);
    expect(s.cv).toBeCloseTo(1.2909944487358056 / 2.5, 12);
  });
  it('has no spread or interval from one value, and nothing from none', () => {
    expect(repeatedStatistic('x', 'ms', [5], 0.95)).toMatchObject({ mean: 5, sd: null, ci: null });
    expect(repeatedStatistic('x', 'ms', [null, null], 0.95)).toMatchObject({ mean: null, ci: null });
  });
});

describe('comparing repeated benches', () => {
  it("tests each statistic over the repeats with Welch's t, as scipy's ttest_ind(equal_var=False)", async () => {
    const { compareRepeatedRuns } = await import('./repeats-comparison.js');
    const { repeatedStatistic: stat } = await import('./bench-repeats.js');
    const summary = (runId: string, p50: number[], throughput: number[]) => ({
      schemaVersion: 1 as const,
      runId,
      kind: 'bench-repeats' as const,
      target: { kind: 'openai-chat', name: 'sim', url: 'http://127.0.0.1', model: 'sim', streaming: true },
      repeats: p50.length,
      pauseS: 0,
      confidence: 0.95,
      runs: [],
      statistics: [stat('p50(ttft)', 'ms', p50, 0.95), stat('throughput', '/s', throughput, 0.95)],
      notes: [],
    });
    const result = compareRepeatedRuns(
      summary('a', [10.1, 10.3, 9.9, 10.2], [100, 101, 99, 100]),
      summary('b', [12.0, 12.4, 11.8, 12.1], [100, 99, 101, 100]),
      0.05,
    );
    const p50 = result.differences[0];
    // scipy.stats.ttest_ind([12.0, 12.4, 11.8, 12.1], [10.1, 10.3, 9.9, 10.2], equal_var=False).pvalue
    expect(p50?.pValue).toBeCloseTo(3.350905488962134e-5, 12);
    expect(p50?.difference).toBeCloseTo(1.95, 12);
    expect(p50?.significant).toBe(true);
    expect(p50?.sentence).toMatch(/^B's p50\(ttft\) is 19\.3% higher over the repeats/);
    expect(result.differences[1]).toMatchObject({ statistic: 'throughput', significant: false });
  });
});
