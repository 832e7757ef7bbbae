import { describe, expect, it } from 'vitest';
import { expectClose, readReference } from '../../test/helpers/reference.js';
import { fleissKappa, krippendorffAlpha } from './agreement.js';

interface Reference {
  fleiss: { table: number[][]; kappa: number }[];
  krippendorff: { ratings: (number | null)[][]; nominal: number; interval: number }[];
}

const reference = readReference<Reference>('agreement.json');

describe("Fleiss' kappa equals statsmodels' fleiss_kappa", () => {
  it.each(reference.fleiss.map((c, i) => [i, c] as const))('case %i', (_i, c) => {
    expectClose(fleissKappa(c.table), c.kappa, 'kappa');
  });

  it('needs the same number of raters for every subject', () => {
    expect(() =>
      fleissKappa([
        [2, 1],
        [1, 1],
      ]),
    ).toThrow(/same number of raters/);
  });
});

describe("Krippendorff's alpha equals NLTK's AnnotationTask.alpha", () => {
  it.each(reference.krippendorff.map((c, i) => [i, c] as const))('case %i', (_i, c) => {
    expectClose(krippendorffAlpha(c.ratings, 'nominal'), c.nominal, 'nominal');
    expectClose(krippendorffAlpha(c.ratings, 'interval'), c.interval, 'interval');
  });

  it("reproduces Krippendorff's (2011) worked example at every level", () => {
    // Four observers, twelve units, missing values: the reliability data of "Computing Krippendorff's Alpha-Reliability".
    const n = null;
    const ratings = [
      [1, 2, 3, 3, 2, 1, 4, 1, 2, n, n, n],
      [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, n, 3],
      [n, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, n],
      [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, n],
    ];
    expect(krippendorffAlpha(ratings, 'nominal')).toBeCloseTo(0.743, 3);
    expect(krippendorffAlpha(ratings, 'ordinal')).toBeCloseTo(0.815, 3);
    expect(krippendorffAlpha(ratings, 'interval')).toBeCloseTo(0.849, 3);
  });
});
