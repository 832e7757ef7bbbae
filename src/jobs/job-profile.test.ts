import { describe, expect, it } from 'vitest';
import { YardstickError } from '../core/errors.js';
import { idleStretches, progressSeries, type JobSample } from './job-profile-json.js';
import { readProcessTree } from './process-tree.js';
import { progressPattern, progressValues, ProgressLog } from './progress-pattern.js';

const look = (atS: number, cpuPercent: number, gpuUtilPercent: number | null = null): JobSample => ({
  atS,
  cpuPercent,
  rssBytes: 0,
  processes: 1,
  systemCpuPercent: 0,
  gpuUtilPercent,
});

describe('job profiles', () => {
  it('idle stretches are two or more idle looks in a row, from the look before the first; a busy GPU is not idle', () => {
    const samples = [look(1, 90), look(2, 5), look(3, 2), look(4, 80), look(5, 1), look(6, 50), look(7, 0), look(8, 0)];
    expect(idleStretches(samples)).toEqual([
      { fromS: 1, toS: 3 },
      { fromS: 6, toS: 8 },
    ]);
    expect(idleStretches([look(1, 1, 95), look(2, 1, 90), look(3, 1, 90)])).toEqual([]);
  });

  it('reads named numbers from progress lines and summarizes each: first, last, extremes, change per second', () => {
    const pattern = progressPattern('epoch (?<epoch>\\d+) step (?<step>\\d+) loss (?<loss>[-\\d.e]+)');
    expect(progressValues(pattern, 'epoch 1 step 20 loss 1.5e-1')).toEqual({ epoch: 1, step: 20, loss: 0.15 });
    expect(progressValues(pattern, 'validation done')).toBeNull();
    const log = new ProgressLog();
    [0, 1, 2, 3].forEach((i) => log.add({ atS: 10 + i * 2, values: { step: 100 * i, loss: 4 - i } }));
    expect(progressSeries(log.events)).toEqual([
      { name: 'step', first: 0, last: 300, min: 0, max: 300, perS: 50 },
      { name: 'loss', first: 4, last: 1, min: 1, max: 4, perS: -0.5 },
    ]);
  });

  it('keeps at most 2,000 progress events, thinned evenly, the first and the latest always', () => {
    const log = new ProgressLog();
    for (let i = 0; i < 10_000; i += 1) log.add({ atS: i, values: { step: i } });
    expect(log.lines).toBe(10_000);
    expect(log.events.length).toBeLessThanOrEqual(2000);
    expect(log.events[0]?.atS).toBe(0);
    expect(log.events.at(-1)?.atS).toBe(9999);
  });

  it('refuses a progress pattern that does not compile or names no group', () => {
    expect(() => progressPattern('step (')).toThrow(YardstickError);
    expect(() => progressPattern('step (\\d+)')).toThrow(/names no group/);
  });

  it("finds this process's tree in /proc", () => {
    const tree = readProcessTree(process.pid);
    expect(tree[0]?.pid).toBe(process.pid);
    expect(tree[0]?.rssBytes).toBeGreaterThan(1_000_000);
    expect(readProcessTree(2 ** 30)).toEqual([]);
  });
});
