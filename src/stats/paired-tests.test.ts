import { describe, expect, it } from 'vitest';
import { expectClose, readReference } from '../../test/helpers/reference.js';
import { confusionFromCodes } from '../accuracy/confusion-matrix.js';
import { precisionRecallF } from '../accuracy/classification.js';
import { pairedBootstrap, pairedPermutationTest } from './paired-tests.js';
import { cohensH, minimumDetectableProportion, powerTwoProportions, requiredSampleSize } from './sample-size.js';

interface Reference {
  permutation: {
    labels: number[];
    predA: number[];
    predB: number[];
    accuracy: [number, number];
    f1: [number, number];
  }[];
  power: {
    p1: number;
    p2: number;
    n1: number;
    alpha: number;
    ratio: number;
    h: number;
    power: number;
    requiredN1: number;
  }[];
}

const reference = readReference<Reference>('paired.json');

function choose(c: Reference['permutation'][number], useB: Uint8Array): number[] {
  return c.labels.map((_, i) => (useB[i] === 1 ? (c.predB[i] as number) : (c.predA[i] as number)));
}

describe("paired permutation test equals scipy's permutation_test (samples, exact)", () => {
  it.each(reference.permutation.map((c, i) => [i, c] as const))('case %i', (_i, c) => {
    const accuracy = (useB: Uint8Array): number =>
      choose(c, useB).filter((p, i) => p === c.labels[i]).length / c.labels.length;
    const acc = pairedPermutationTest(c.labels.length, accuracy, { resamples: 10_000, seed: 1 });
    expect(acc.method).toBe('exact');
    expectClose(acc.difference, c.accuracy[0], 'accuracy difference');
    expectClose(acc.pValue, c.accuracy[1], 'accuracy p');
    const f1 = (useB: Uint8Array): number => {
      const cm = confusionFromCodes(Int32Array.from(c.labels), Int32Array.from(choose(c, useB)), [0, 1]);
      return precisionRecallF(cm, { average: 'binary', posLabel: 1 }).fScore;
    };
    const result = pairedPermutationTest(c.labels.length, f1, { resamples: 10_000, seed: 1 });
    expectClose(result.difference, c.f1[0], 'f1 difference');
    expectClose(result.pValue, c.f1[1], 'f1 p');
  });

  it('falls back to random swaps for many cases, with a p-value that is never zero', () => {
    const n = 200;
    const a = Array.from({ length: n }, (_, i) => (i % 4 === 0 ? 0 : 1));
    const b = Array.from({ length: n }, (_, i) => (i % 10 === 0 ? 0 : 1));
    const mean = (useB: Uint8Array): number =>
      useB.reduce((s, u, i) => s + (u === 1 ? (b[i] as number) : (a[i] as number)), 0) / n;
    const result = pairedPermutationTest(n, mean, { resamples: 2000, seed: 5 });
    expect(result.method).toBe('monte-carlo');
    expect(result.difference).toBeCloseTo(0.15, 12);
    expect(result.pValue).toBeGreaterThan(0);
    expect(result.pValue).toBeLessThan(0.01);
  });
});

describe('paired bootstrap', () => {
  it('brackets the observed difference and agrees with the permutation test about significance', () => {
    const n = 300;
    const a = Array.from({ length: n }, (_, i) => (i % 4 === 0 ? 0 : 1));
    const b = Array.from({ length: n }, (_, i) => (i % 10 === 0 ? 0 : 1));
    const metricOn = (indices: Uint32Array, system: 'A' | 'B'): number =>
      indices.reduce((s, i) => s + ((system === 'A' ? a : b)[i] as number), 0) / indices.length;
    const result = pairedBootstrap(n, metricOn, { resamples: 2000, seed: 3, confidence: 0.95 });
    expect(result.difference).toBeCloseTo(0.15, 12);
    expect(result.interval?.low).toBeGreaterThan(0.05);
    expect(result.interval?.high).toBeLessThan(0.25);
    expect(result.pValue).toBeLessThan(0.01);
    const same = pairedBootstrap(n, (indices) => metricOn(indices, 'A'), { resamples: 500, seed: 3, confidence: 0.95 });
    expect(same.pValue).toBe(1);
  });
});

describe("power and sample size equal statsmodels' NormalIndPower", () => {
  it.each(reference.power.map((c) => [`${c.p1} → ${c.p2}`, c] as const))('%s', (_name, c) => {
    expectClose(cohensH(c.p1, c.p2), c.h, 'h');
    expectClose(powerTwoProportions(c.h, c.n1, c.alpha, c.ratio), c.power, 'power');
    // The sample size is a root found numerically by both; they agree far beyond a whole case.
    expect(
      Math.abs(requiredSampleSize(c.p1, c.p2, { alpha: c.alpha, power: 0.8, ratio: c.ratio }) - c.requiredN1),
    ).toBeLessThan(1e-4 * c.requiredN1);
  });

  it('inverts: the detectable proportion at the required size is the one asked for', () => {
    const n = requiredSampleSize(0.8, 0.85);
    expect(minimumDetectableProportion(0.8, n)).toBeCloseTo(0.85, 6);
  });
});
