import { describe, expect, it } from 'vitest';
import { expectAllClose, expectClose, readReference } from '../../test/helpers/reference.js';
import {
  binnedCounts,
  chiSquareContingency,
  cramersV,
  hellingerDistance,
  jensenShannonDistance,
  normalizedWasserstein,
  populationStabilityIndex,
  twoProportionZTest,
  wassersteinDistance,
} from './distribution-tests.js';

interface Reference {
  categorical: { p: number[]; q: number[]; jensenShannon: number; hellinger: number }[];
  samples: { u: number[]; v: number[]; wasserstein: number; normalizedWasserstein?: number }[];
  contingency: {
    table: number[][];
    corrected: [number, number, number];
    plain: [number, number, number];
    expected: number[][];
    cramersV: number;
  }[];
  proportions: { successes: [number, number]; trials: [number, number]; z: number; pValue: number }[];
}

const reference = readReference<Reference>('distributions.json');

describe('distances between categorical distributions equal scipy', () => {
  it.each(reference.categorical.map((c, i) => [i, c] as const))('case %i', (_i, c) => {
    expectClose(jensenShannonDistance(c.p, c.q), c.jensenShannon, 'jensen-shannon');
    expectClose(hellingerDistance(c.p, c.q), c.hellinger, 'hellinger');
  });
});

describe("Wasserstein distance equals scipy's wasserstein_distance", () => {
  it.each(reference.samples.map((c, i) => [i, c] as const))('case %i', (_i, c) => {
    expectClose(wassersteinDistance(c.u, c.v), c.wasserstein, 'wasserstein');
    if (c.normalizedWasserstein !== undefined)
      expectClose(normalizedWasserstein(c.u, c.v), c.normalizedWasserstein, 'normalized wasserstein');
  });
});

describe("chi-square contingency and Cramér's V equal scipy", () => {
  it.each(reference.contingency.map((c, i) => [i, c] as const))('case %i', (_i, c) => {
    const corrected = chiSquareContingency(c.table);
    expectClose(corrected.statistic, c.corrected[0], 'corrected statistic');
    expectClose(corrected.pValue, c.corrected[1], 'corrected p');
    expect(corrected.df).toBe(c.corrected[2]);
    const plain = chiSquareContingency(c.table, false);
    expectClose(plain.statistic, c.plain[0], 'statistic');
    expectClose(plain.pValue, c.plain[1], 'p');
    expectAllClose(plain.expected, c.expected, 'expected');
    expectClose(cramersV(c.table), c.cramersV, "Cramér's V");
  });
});

describe("two-proportion z-test equals statsmodels' proportions_ztest", () => {
  it.each(reference.proportions.map((c, i) => [i, c] as const))('case %i', (_i, c) => {
    const result = twoProportionZTest(c.successes[0], c.trials[0], c.successes[1], c.trials[1]);
    expectClose(result.statistic, c.z, 'z');
    expectClose(result.pValue, c.pValue, 'p');
  });

  it('refuses distributions that cannot be compared', () => {
    expect(() => jensenShannonDistance([1, 2], [1, 2, 3])).toThrow(/over 2 and 3 categories/);
    expect(() => hellingerDistance([0, 0], [1, 1])).toThrow(/no mass/);
    expect(() =>
      chiSquareContingency([
        [1, 0],
        [2, 0],
      ]),
    ).toThrow(/all zeros/);
  });
});

describe('population stability index', () => {
  it('follows its definition on a worked example', () => {
    // (0.6 − 0.5)·ln(0.6/0.5) + (0.4 − 0.5)·ln(0.4/0.5)
    expect(populationStabilityIndex([50, 50], [60, 40])).toBeCloseTo(0.1 * Math.log(1.2) - 0.1 * Math.log(0.8), 15);
    expect(populationStabilityIndex([1, 2, 3], [2, 4, 6])).toBe(0);
  });

  it('fills empty bins as Evidently does instead of going infinite, and keeps every other share', () => {
    const psi = populationStabilityIndex([100, 0], [90, 10]);
    expect(psi).toBeCloseTo((0.9 - 1) * Math.log(0.9 / 1) + (0.1 - 1e-4) * Math.log(0.1 / 1e-4), 12);
    // numpy, filling zeros as Evidently's get_binned_data: 0.7006208039360982.
    expect(psi).toBeCloseTo(0.7006208039360982, 12);
    // A share of 3e-5 is kept, not raised to 0.0001, and the empty bin gets 3e-5 / 10⁶ (numpy: 0.0008005657254830006).
    expect(populationStabilityIndex([100000, 3, 0], [99990, 10, 5])).toBeCloseTo(0.0008005657254830006, 12);
  });

  it('bins numeric samples over the reference range', () => {
    const { reference, current } = binnedCounts([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [-5, 5, 20], 5);
    expect(Array.from(reference)).toEqual([2, 2, 2, 2, 3]);
    expect(Array.from(current)).toEqual([1, 0, 1, 0, 1]);
  });
});
