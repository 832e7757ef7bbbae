import { usageError } from '../core/errors.js';
import { seededRandom } from '../core/random.js';
import type { EvalCase } from './cases.js';
import { asText } from './template.js';

export interface SamplingOptions {
  /** The first N cases. */
  limit: number | null;
  /** N cases drawn at random without replacement. */
  sample: number | null;
  seed: number;
  /** Draw the sample proportionally within strata: 'tag' (first tag), 'label' (expected answer) or a column name. */
  stratify: string | null;
}

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

function stratumOf(c: EvalCase, key: string): string {
  if (key === 'tag') return c.tags[0] ?? '';
  if (key === 'label') return c.expected[0] ?? '';
  return asText(c.vars[key]);
}

/** Sizes per stratum proportional to their share, by largest remainder, so they add up to `total` exactly. */
function allocate(sizes: readonly number[], total: number): number[] {
  const all = sizes.reduce((a, b) => a + b, 0);
  const exact = sizes.map((s) => (s * total) / all);
  const counts = exact.map(Math.floor);
  let left = total - counts.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => ({ i, rest: e - Math.floor(e) })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (const { i } of order) {
    if (left === 0) break;
    if ((counts[i] ?? 0) < (sizes[i] ?? 0)) {
      counts[i] = (counts[i] ?? 0) + 1;
      left -= 1;
    }
  }
  return counts;
}

/**
 * The cases a run evaluates, in dataset order. `--sample` draws a seeded random subset (stratified when asked,
 * with sizes proportional to each stratum's share); `--limit` then keeps the first N.
 */
export function selectCases(cases: readonly EvalCase[], options: SamplingOptions): EvalCase[] {
  let selected: readonly EvalCase[] = cases;
  if (options.sample !== null && options.sample < cases.length) {
    const random = seededRandom(options.seed);
    let picked: EvalCase[];
    if (options.stratify === null) {
      picked = shuffled(cases, random).slice(0, options.sample);
    } else {
      const key = options.stratify;
      if (key !== 'tag' && key !== 'label' && !cases.some((c) => key in c.vars)) {
        throw usageError(
          'FLAG_INVALID',
          `--stratify '${key}' is neither 'tag', 'label' nor a column of the dataset`,
          "use 'tag', 'label' or a column name",
        );
      }
      const strata = new Map<string, EvalCase[]>();
      for (const c of cases) {
        const name = stratumOf(c, key);
        strata.set(name, [...(strata.get(name) ?? []), c]);
      }
      const groups = [...strata.values()];
      const sizes = allocate(
        groups.map((g) => g.length),
        options.sample,
      );
      picked = groups.flatMap((group, i) => shuffled(group, random).slice(0, sizes[i]));
    }
    selected = picked.sort((a, b) => a.index - b.index);
  }
  return options.limit === null ? [...selected] : selected.slice(0, options.limit);
}
