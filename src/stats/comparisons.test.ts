import { describe, expect, it } from 'vitest';
import { expectAllClose, expectClose, readReference } from '../../test/helpers/reference.js';
import { benjaminiHochbergAdjust, holmAdjust, mannWhitneyU, mcNemar, welchTTest } from './comparisons.js';

interface TwoSamples {
  a: number[];
  b: number[];
  statistic: number;
  pValue: number;
}

interface Reference {
  welch: TwoSamples[];
  mannWhitney: TwoSamples[];
  mcnemar: { onlyA: number; onlyB: number; exact: [number, number]; chiSquare: [number, number] }[];
  multipleTesting: { pValues: number[]; holm: number[]; bh: number[] }[];
}

const reference = readReference<Reference>('comparisons.json');

describe("Welch's t-test equals scipy's ttest_ind(equal_var=False)", () => {
  it.each(reference.welch.map((c, i) => [i, c] as const))('case %i', (_i, c) => {
    const result = welchTTest(c.a, c.b);
    expectClose(result.statistic, c.statistic, 't');
    expectClose(result.pValue, c.pValue, 'p');
  });
});

describe("Mann–Whitney U equals scipy's mannwhitneyu (two-sided, auto)", () => {
  it.each(reference.mannWhitney.map((c, i) => [i, c] as const))('case %i', (_i, c) => {
    const result = mannWhitneyU(c.a, c.b);
    expectClose(result.statistic, c.statistic, 'U');
    expectClose(result.pValue, c.pValue, 'p');
  });
});

describe("McNemar's test equals statsmodels' mcnemar", () => {
  it.each(reference.mcnemar.map((c) => [`${c.onlyA} vs ${c.onlyB}`, c] as const))('%s', (_name, c) => {
    const exact = mcNemar(c.onlyA, c.onlyB, 'exact');
    expectClose(exact.statistic, c.exact[0], 'exact statistic');
    expectClose(exact.pValue, c.exact[1], 'exact p');
    if (c.onlyA + c.onlyB > 0) {
      const chi = mcNemar(c.onlyA, c.onlyB, 'chi-square');
      expectClose(chi.statistic, c.chiSquare[0], 'chi-square statistic');
      expectClose(chi.pValue, c.chiSquare[1], 'chi-square p');
    }
  });
});

describe("Holm and Benjamini–Hochberg equal statsmodels' multipletests", () => {
  it.each(reference.multipleTesting.map((c, i) => [i, c] as const))('case %i', (_i, c) => {
    expectAllClose(holmAdjust(c.pValues), c.holm, 'holm');
    expectAllClose(benjaminiHochbergAdjust(c.pValues), c.bh, 'bh');
  });

  it('refuses samples too small to test', () => {
    expect(() => welchTTest([1], [1, 2])).toThrow(/at least two values/);
    expect(() => mannWhitneyU([], [1])).toThrow(/at least one value/);
  });
});
