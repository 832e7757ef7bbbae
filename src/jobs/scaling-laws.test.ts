import { describe, expect, it } from 'vitest';
import { analyzeScaling } from './scaling-analysis.js';
import {
  amdahlKnee,
  amdahlSpeedup,
  fitAmdahl,
  fitGustafson,
  gustafsonKnee,
  gustafsonSpeedup,
  karpFlatt,
} from './scaling-laws.js';

const counts = [1, 1, 1, 2, 2, 2, 4, 4, 4, 8, 8, 8];
const times = [1.52, 1.49, 1.55, 0.93, 0.89, 0.91, 0.61, 0.62, 0.58, 0.46, 0.44, 0.47];

describe('Amdahl fit', () => {
  it('recovers the serial fraction of exact times T(n) = T1 (s + (1 − s) / n)', () => {
    const fit = fitAmdahl([1, 2, 4, 8].map((workers) => ({ workers, secondsPerUnit: 1.5 * (0.2 + 0.8 / workers) })));
    expect(fit?.serialFraction).toBeCloseTo(0.2, 12);
    expect(fit?.rSquared).toBeCloseTo(1, 12);
  });

  it('matches scipy curve_fit on noisy times: s and its t interval from the fit covariance', () => {
    // scipy.optimize.curve_fit(lambda n, T1, s: T1 * (s + (1 - s) / n), counts, times): s 0.19859590218394618,
    // standard error 0.0071717662089432165; t(0.975, 10) interval [0.1826162112565905, 0.21457559311130187].
    const fit = fitAmdahl(counts.map((workers, i) => ({ workers, secondsPerUnit: times[i] ?? 0 })));
    expect(fit?.serialFraction).toBeCloseTo(0.19859590218394618, 9);
    expect(fit?.interval?.[0]).toBeCloseTo(0.1826162112565905, 7);
    expect(fit?.interval?.[1]).toBeCloseTo(0.21457559311130187, 7);
    expect(fit?.observations).toBe(12);
  });

  it('needs two distinct worker counts, and clamps a superlinear fit at 0', () => {
    expect(fitAmdahl([{ workers: 2, secondsPerUnit: 1 }])).toBeNull();
    const superlinear = fitAmdahl([1, 2, 4].map((workers) => ({ workers, secondsPerUnit: 1 / workers - 0.05 })));
    expect(superlinear?.unclamped).toBeLessThan(0);
    expect(superlinear?.serialFraction).toBe(0);
  });

  it('predicts speedups, the knee and Karp–Flatt consistently', () => {
    expect(amdahlSpeedup(0.2, 4)).toBeCloseTo(1 / (0.2 + 0.8 / 4), 12);
    expect(amdahlSpeedup(0.2, 8, 2)).toBeCloseTo((0.2 + 0.4) / (0.2 + 0.1), 12);
    // Efficiency 1 / (s n + 1 − s) at s = 0.2 falls below 0.5 past n = 1 + (1 / 0.5 − 1) / 0.2 = 6.
    expect(amdahlKnee(0.2, 0.5)).toBe(7);
    expect(1 / (0.2 * 6 + 0.8)).toBeGreaterThanOrEqual(0.5);
    expect(amdahlKnee(0, 0.5)).toBeNull();
    expect(karpFlatt(amdahlSpeedup(0.2, 4), 4)).toBeCloseTo(0.2, 12);
    expect(karpFlatt(1, 1)).toBeNull();
  });
});

describe('Gustafson fit', () => {
  it('matches scipy curve_fit of S(n) = n − s (n − 1)', () => {
    // scipy: curve_fit(lambda w, s: w - s * (w - 1), [2,2,4,4,8,8], [1.62,1.58,2.85,2.79,5.3,5.1]):
    // s 0.3989830508717054, t(0.975, 5) interval [0.38283656773986646, 0.4151295340035443].
    const workers = [2, 2, 4, 4, 8, 8];
    const speedups = [1.62, 1.58, 2.85, 2.79, 5.3, 5.1];
    const fit = fitGustafson(workers.map((w, i) => ({ workers: w, scaledSpeedup: speedups[i] ?? 0 })));
    expect(fit?.serialFraction).toBeCloseTo(0.3989830508717054, 9);
    expect(fit?.interval?.[0]).toBeCloseTo(0.38283656773986646, 7);
    expect(fit?.interval?.[1]).toBeCloseTo(0.4151295340035443, 7);
  });

  it('predicts scaled speedups and the knee of scaled efficiency', () => {
    expect(gustafsonSpeedup(0.4, 8)).toBeCloseTo(8 - 0.4 * 7, 12);
    // 1 − s + s / n < 0.7 at s = 0.4 needs n > 1 / (1 − 0.3 / 0.4) = 4.
    expect(gustafsonKnee(0.4, 0.7)).toBe(5);
    expect(gustafsonKnee(0.2, 0.7)).toBeNull();
  });
});

describe('analyzeScaling', () => {
  it('strong: speedup and efficiency over the smallest count, the knee measured and predicted', () => {
    const measured = [1, 2, 4, 8].map((workers) => ({
      workers,
      secondsPerUnit: counts.flatMap((c, i) => (c === workers ? [times[i] ?? 0] : [])),
    }));
    const analysis = analyzeScaling(measured, { mode: 'strong', efficiencyBound: 0.5 });
    const at8 = analysis.rows.find((r) => r.workers === 8);
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(at8?.speedup?.value).toBeCloseTo(mean([1.52, 1.49, 1.55]) / mean([0.46, 0.44, 0.47]), 12);
    expect(at8?.efficiency).toBeCloseTo((at8?.speedup?.value ?? 0) / 8, 12);
    expect(at8?.speedup?.interval?.[0]).toBeLessThan(at8?.speedup?.value ?? 0);
    expect(analysis.knee.measured).toBe(8);
    expect(analysis.knee.predicted).toBe(7);
    expect(analysis.limitSpeedup).toBeCloseTo(1 / (analysis.fit?.serialFraction ?? 1), 9);
    expect(analysis.predictions.map((p) => p.workers)).toEqual([16, 32, 64]);
    const at16 = analysis.predictions[0];
    expect(at16?.interval?.[0]).toBeLessThan(at16?.speedup ?? 0);
    expect(at16?.interval?.[1]).toBeGreaterThan(at16?.speedup ?? 0);
  });

  it('weak: the scaled speedup from one worker at the same size, and the time kept flat', () => {
    // Serial 0.2 s, parallel 0.3 s of work per size unit: one worker at size n takes 0.2 + 0.3 n, n workers 0.5 s.
    const measured = [1, 2, 4].map((workers) => ({
      workers,
      secondsPerUnit: [0.5 / workers, 0.5 / workers],
      referenceSecondsPerUnit: [(0.2 + 0.3 * workers) / workers, (0.2 + 0.3 * workers) / workers],
    }));
    const analysis = analyzeScaling(measured, { mode: 'weak', efficiencyBound: 0.5 });
    expect(analysis.fit?.serialFraction).toBeCloseTo(0.4, 12);
    expect(analysis.rows.map((r) => r.weakEfficiency)).toEqual([1, 1, 1]);
    expect(analysis.rows[2]?.speedup?.value).toBeCloseTo(1.4 / 0.5, 12);
  });
});
