import { describe, expect, it } from 'vitest';
import { expectClose, readReference } from '../../test/helpers/reference.js';
import { ksTwoSample, smirnovSf } from './ks-two-sample.js';

interface Reference {
  cases: { a: number[]; b: number[]; statistic: number; pValue: number }[];
  large: { a: number[]; b: number[]; statistic: number; pValue: number }[];
  smirnov: { n: number; x: number; sf: number }[];
}

const reference = readReference<Reference>('ks.json');

describe("two-sample KS equals scipy's ks_2samp (exact up to 10,000 values)", () => {
  it.each(reference.cases.map((c, i) => [`${i}: ${c.a.length} vs ${c.b.length}`, c] as const))('case %s', (_name, c) => {
    const result = ksTwoSample(c.a, c.b);
    expect(result.method).toBe('exact');
    expectClose(result.statistic, c.statistic, 'D');
    expectClose(result.pValue, c.pValue, 'p');
  });

  it('uses the asymptotic distribution for large samples: equal to scipy in the rejection tail, within 2% nearer the centre', () => {
    for (const c of reference.large) {
      const result = ksTwoSample(c.a, c.b);
      expect(result.method).toBe('asymptotic');
      expectClose(result.statistic, c.statistic, 'D');
      if (c.pValue < 0.02) expectClose(result.pValue, c.pValue, 'p');
      else expect(Math.abs(result.pValue - c.pValue) / c.pValue).toBeLessThan(0.02);
    }
    expect(reference.large.some((c) => c.pValue < 0.02)).toBe(true);
  });
});

describe("the one-sided Smirnov tail equals scipy's special.smirnov", () => {
  it.each(reference.smirnov.map((c) => [`n=${c.n}, x=${c.x}`, c] as const))('%s', (_name, c) => {
    expectClose(smirnovSf(c.n, c.x), c.sf, 'smirnov');
  });
});
