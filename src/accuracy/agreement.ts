import { usageError } from '../core/errors.js';

/**
 * Agreement between raters, for repeatability (the same system run several times) and human evaluation.
 * Cohen's kappa for two raters is in classification.ts.
 */

/**
 * Fleiss' kappa from a subjects × categories table of counts (how many raters put each subject in each category);
 * every subject needs the same number of raters, at least two (statsmodels' `fleiss_kappa`).
 */
export function fleissKappa(table: readonly (readonly number[])[]): number {
  const subjects = table.length;
  if (subjects === 0)
    throw usageError('AGREEMENT_EMPTY', "Fleiss' kappa needs at least one subject", 'rate something first');
  const raters = table[0]?.reduce((a, b) => a + b, 0) ?? 0;
  if (raters < 2 || table.some((row) => row.reduce((a, b) => a + b, 0) !== raters)) {
    throw usageError(
      'AGREEMENT_RATERS',
      "Fleiss' kappa needs the same number of raters (two or more) for every subject",
      "use Krippendorff's alpha when ratings are missing",
    );
  }
  const categories = table[0]?.length ?? 0;
  const shares = Array.from(
    { length: categories },
    (_, j) => table.reduce((s, row) => s + (row[j] as number), 0) / (subjects * raters),
  );
  const observed =
    table.reduce((s, row) => s + (row.reduce((q, c) => q + c * c, 0) - raters) / (raters * (raters - 1)), 0) / subjects;
  const expected = shares.reduce((s, p) => s + p * p, 0);
  return (observed - expected) / (1 - expected);
}

export type AlphaLevel = 'nominal' | 'ordinal' | 'interval';

/**
 * Krippendorff's alpha for any number of raters with missing ratings: `ratings[r][u]` is rater r's value for unit u,
 * or null. Units rated fewer than twice are left out. Built on the coincidence matrix; the distance is 0/1
 * (nominal), the squared difference (interval), or for ordinal data the squared count of values between two
 * ranks less half of the two ends (Krippendorff, 2011).
 */
export function krippendorffAlpha(ratings: readonly (readonly (number | null)[])[], level: AlphaLevel): number {
  const units = Math.max(0, ...ratings.map((r) => r.length));
  const values = [...new Set(ratings.flat().filter((v): v is number => v !== null))].sort((a, b) => a - b);
  const index = new Map(values.map((v, i) => [v, i]));
  const k = values.length;
  const coincidences = new Float64Array(k * k);
  for (let u = 0; u < units; u += 1) {
    const present = ratings.map((r) => r[u]).filter((v): v is number => v !== null && v !== undefined);
    const m = present.length;
    if (m < 2) continue;
    for (let a = 0; a < m; a += 1) {
      for (let b = 0; b < m; b += 1) {
        if (a === b) continue;
        const cell = (index.get(present[a] as number) as number) * k + (index.get(present[b] as number) as number);
        coincidences[cell] = (coincidences[cell] as number) + 1 / (m - 1);
      }
    }
  }
  const marginals = Array.from({ length: k }, (_, c) => {
    let sum = 0;
    for (let j = 0; j < k; j += 1) sum += coincidences[c * k + j] as number;
    return sum;
  });
  const n = marginals.reduce((a, b) => a + b, 0);
  if (n === 0)
    throw usageError(
      'AGREEMENT_EMPTY',
      "Krippendorff's alpha needs at least one unit rated twice",
      'collect overlapping ratings',
    );
  const distance = (c: number, d: number): number => {
    if (level === 'nominal') return c === d ? 0 : 1;
    if (level === 'interval') return ((values[c] as number) - (values[d] as number)) ** 2;
    const [low, high] = c <= d ? [c, d] : [d, c];
    let between = 0;
    for (let g = low; g <= high; g += 1) between += marginals[g] as number;
    return (between - ((marginals[low] as number) + (marginals[high] as number)) / 2) ** 2;
  };
  let observed = 0;
  let expected = 0;
  for (let c = 0; c < k; c += 1) {
    for (let d = 0; d < k; d += 1) {
      const delta = distance(c, d);
      observed += (coincidences[c * k + d] as number) * delta;
      expected += (marginals[c] as number) * (marginals[d] as number) * delta;
    }
  }
  return 1 - ((n - 1) * observed) / expected;
}
