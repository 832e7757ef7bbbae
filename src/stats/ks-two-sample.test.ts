import { describe, expect, it } from 'vitest';
import { expectClose, readReference } from '../../test/helpers/reference.js';
import { kolmogorovNSf } from './kolmogorov-n.js';
import { ksTwoSample, smirnovSf } from './ks-two-sample.js';

interface Reference {
  cases: { a: number[]; b: number[]; statistic: number; pValue: number }[];
  large: { a: number[]; b: number[]; statistic: number; pValue: number }[];
  smirnov: { n: number; x: number; sf: number }[];
  kstwo: { n: number; x: number; sf: number }[];
}

const reference = readReference<Reference>('ks.json');

describe("two-sample KS equals scipy's ks_2samp (exact up to 10,000 values)", () => {
  it.each(reference.cases.map((c, i) => [`${i}: ${c.a.length} vs ${c.b.length}`, c] as const))(
    'case %s',
    (_name, c) => {
      const result = ksTwoSample(c.a, c.b);
      expect(result.method).toBe('exact');
      expectClose(result.statistic, c.statistic, 'D');
      expectClose(result.pValue, c.pValue, 'p');
    },
  );

  it('uses the finite-n asymptotic distribution for large samples, in the tail and near the centre, balanced or not', () => {
    for (const c of reference.large) {
      const result = ksTwoSample(c.a, c.b);
      expect(result.method).toBe('asymptotic');
      expectClose(result.statistic, c.statistic, 'D');
      expectClose(result.pValue, c.pValue, 'p');
    }
    expect(reference.large.some((c) => c.pValue < 0.02)).toBe(true);
    expect(reference.large.some((c) => c.pValue > 0.3)).toBe(true);
  });
});

describe("P(Dₙ ≥ x) equals scipy's kstwo.sf on every branch", () => {
  it.each(reference.kstwo.map((c) => [`n=${c.n}, x=${c.x.toPrecision(6)}`, c] as const))('%s', (_name, c) => {
    expectClose(kolmogorovNSf(c.n, c.x, smirnovSf), c.sf, 'kstwo');
  });
});

describe("the one-sided Smirnov tail equals scipy's special.smirnov", () => {
  it.each(reference.smirnov.map((c) => [`n=${c.n}, x=${c.x}`, c] as const))('%s', (_name, c) => {
    expectClose(smirnovSf(c.n, c.x), c.sf, 'smirnov');
  });
});
