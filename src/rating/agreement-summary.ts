import { fleissKappa, krippendorffAlpha } from '../accuracy/agreement.js';
import { cohenKappa } from '../accuracy/classification.js';
import { confusionFromCodes } from '../accuracy/confusion-matrix.js';
import { bootstrapPercentile } from '../stats/bootstrap.js';
import { mcNemar } from '../stats/comparisons.js';
import { meanTInterval } from '../stats/standard-errors.js';
import { wilsonInterval } from '../stats/proportion-intervals.js';
import type { Rating, RatingItem } from './rating-task.js';
import { ratingText, rubricCategories, rubricLevel, rubricText, type Rubric } from '../accuracy/rubric.js';

/** A statistic with its 95% interval (a percentile bootstrap over items, seeded) and the items it is over. */
export interface AgreementStatistic {
  value: number;
  interval: [number, number] | null;
  items: number;
}

/** The stable summary of a rating task (kind `rating`; docs/human-eval.md defines every field). */
export interface RatingJson {
  schemaVersion: 1;
  runId: string;
  kind: 'rating';
  /** The eval run whose outputs are rated (A in a pairwise task). */
  source: string;
  /** The eval run compared against in a pairwise task (B); null otherwise. */
  against: string | null;
  rubric: string;
  items: number;
  raters: { name: string; rated: number }[];
  /** Cohen's kappa for each pair of raters on the items both rated (quadratic weights on a scale), and raw agreement. */
  pairs: { raters: [string, string]; kappa: AgreementStatistic | null; agreement: number }[];
  /** Fleiss' kappa over the items every rater rated (two raters or more). */
  fleiss: AgreementStatistic | null;
  /** Krippendorff's alpha (nominal, or ordinal on a scale) over every item rated twice or more. */
  alpha: (AgreementStatistic & { level: 'nominal' | 'ordinal' }) | null;
  /** The raters' verdict: pass-fail, the share of items whose majority said pass (Wilson); a scale, the mean rating (t). */
  human: {
    measure: 'pass-rate' | 'mean-rating';
    value: number;
    interval: [number, number] | null;
    items: number;
  } | null;
  /** Pass-fail only: the eval's verdict (every scorer passed) against the raters' majority, overall and per scorer. */
  judge: {
    agreement: number;
    kappa: AgreementStatistic | null;
    scorers: { name: string; agreement: number; kappa: AgreementStatistic | null }[];
    /** Items where the raters' majority and the eval disagree (the first 20). */
    disagreements: { itemId: string; human: string; judge: string }[];
  } | null;
  /**
   * Pairwise only: the raters' majority per item turned from the side shown into the run (A, the source; B, the run
   * compared against), the items each run won and the ties, B's share of the decided items (Wilson), and the exact
   * two-sided sign test of A's wins against B's.
   */
  preference: {
    aWins: number;
    bWins: number;
    ties: number;
    bWinShare: number;
    interval: [number, number] | null;
    pValue: number;
  } | null;
  /** Items the raters did not agree on (the first 20), with each rater's rating, and how many. */
  disagreements: { itemId: string; ratings: Record<string, string> }[];
  disagreementCount: number;
}

const BOOTSTRAP = { resamples: 1000, confidence: 0.95, seed: 1 };

/** Cohen's kappa of two code lists with its bootstrap interval; null with fewer than two items or no variation. */
function kappaOf(
  a: readonly number[],
  b: readonly number[],
  categories: number,
  weights: 'none' | 'quadratic',
): AgreementStatistic | null {
  const labels = Array.from({ length: categories }, (_, i) => i);
  return bootstrapped(a.length, (indices) => {
    const n = indices === null ? a.length : indices.length;
    const x = new Int32Array(n);
    const y = new Int32Array(n);
    for (let k = 0; k < n; k += 1) {
      const i = indices === null ? k : (indices[k] ?? 0);
      x[k] = a[i] ?? 0;
      y[k] = b[i] ?? 0;
    }
    return cohenKappa(confusionFromCodes(x, y, labels), weights);
  });
}

/** A statistic of the items with its percentile bootstrap interval over them; null below two items or when not finite. */
function bootstrapped(
  units: number,
  statistic: (indices: ArrayLike<number> | null) => number,
): AgreementStatistic | null {
  if (units < 2) return null;
  const value = statistic(null);
  if (!Number.isFinite(value)) return null;
  const interval = bootstrapPercentile(units, (indices) => statistic(indices), BOOTSTRAP);
  return { value, interval: interval === null ? null : [interval.low, interval.high], items: units };
}

/** The rating of each item by the raters' majority (pass-fail, labels) or mean (a scale); null on a tie. */
function verdicts(rubric: Rubric, byItem: Map<string, number[]>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [itemId, values] of byItem) {
    if (rubric.kind === 'scale') {
      out.set(itemId, values.reduce((a, b) => a + b, 0) / values.length);
      continue;
    }
    const counts = new Map<number, number>();
    for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
    const sorted = [...counts.entries()].sort((x, y) => y[1] - x[1]);
    if (sorted[0] !== undefined && (sorted[1] === undefined || sorted[1][1] < sorted[0][1]))
      out.set(itemId, sorted[0][0]);
  }
  return out;
}

/** The pairwise verdicts by run: a rater's `first` is B on an item whose sides were swapped. */
function preferenceOf(items: readonly RatingItem[], verdict: Map<string, number>): RatingJson['preference'] {
  let aWins = 0;
  let bWins = 0;
  let ties = 0;
  for (const item of items) {
    const side = verdict.get(item.itemId);
    if (side === undefined) continue;
    if (side === 1) ties += 1;
    else if ((side === 0) !== (item.pair?.swapped === true)) aWins += 1;
    else bWins += 1;
  }
  if (aWins + bWins + ties === 0) return null;
  const decided = aWins + bWins;
  const ci = decided === 0 ? null : wilsonInterval(bWins, decided);
  return {
    aWins,
    bWins,
    ties,
    bWinShare: decided === 0 ? Number.NaN : bWins / decided,
    interval: ci === null ? null : [ci.low, ci.high],
    pValue: mcNemar(aWins, bWins, 'exact').pValue,
  };
}

/**
 * The agreement of a rating task: each pair of raters' Cohen's kappa, Fleiss' kappa and Krippendorff's alpha with
 * bootstrap intervals over items, the raters' verdict with its interval, the eval's agreement with them, and the
 * items they disagree on.
 */
export function ratingSummary(
  task: { runId: string; source: string; against: string | null; rubric: Rubric },
  items: readonly RatingItem[],
  ratings: readonly Rating[],
): RatingJson {
  const { runId, source, against, rubric } = task;
  const raters = [...new Set(ratings.map((r) => r.rater))].sort();
  const value = new Map(ratings.map((r) => [`${r.rater}\u0000${r.itemId}`, r.value]));
  const of = (rater: string, itemId: string): number | undefined => value.get(`${rater}\u0000${itemId}`);
  const categories = rubricCategories(rubric);
  const code = (v: number): number => (rubric.kind === 'scale' ? v - rubric.min : v);
  const weights = rubric.kind === 'scale' ? 'quadratic' : 'none';

  const pairs: RatingJson['pairs'] = [];
  for (let i = 0; i < raters.length; i += 1)
    for (let j = i + 1; j < raters.length; j += 1) {
      const a = raters[i] ?? '';
      const b = raters[j] ?? '';
      const both = items.flatMap((item) => {
        const x = of(a, item.itemId);
        const y = of(b, item.itemId);
        return x === undefined || y === undefined ? [] : [[code(x), code(y)] as const];
      });
      pairs.push({
        raters: [a, b],
        kappa: kappaOf(
          both.map((p) => p[0]),
          both.map((p) => p[1]),
          categories,
          weights,
        ),
        agreement: both.length === 0 ? Number.NaN : both.filter(([x, y]) => x === y).length / both.length,
      });
    }

  const everyone =
    raters.length < 2 ? [] : items.filter((item) => raters.every((r) => of(r, item.itemId) !== undefined));
  const fleissTable = everyone.map((item) => {
    const row = new Array<number>(categories).fill(0);
    for (const r of raters) row[code(of(r, item.itemId) ?? 0)] = (row[code(of(r, item.itemId) ?? 0)] ?? 0) + 1;
    return row;
  });
  const fleiss = bootstrapped(fleissTable.length, (indices) =>
    fleissKappa(indices === null ? fleissTable : Array.from(indices, (i) => fleissTable[i] ?? [])),
  );

  const rated = items.filter((item) => raters.filter((r) => of(r, item.itemId) !== undefined).length >= 2);
  const matrix = raters.map((r) => rated.map((item) => of(r, item.itemId) ?? null));
  const level = rubricLevel(rubric);
  const alphaValue = bootstrapped(rated.length, (indices) =>
    krippendorffAlpha(
      indices === null ? matrix : matrix.map((row) => Array.from(indices, (i) => row[i] ?? null)),
      level,
    ),
  );

  const byItem = new Map<string, number[]>();
  for (const r of ratings) byItem.set(r.itemId, [...(byItem.get(r.itemId) ?? []), r.value]);
  const verdict = verdicts(rubric, byItem);
  const verdictValues = [...verdict.values()];
  let human: RatingJson['human'] = null;
  if (verdictValues.length > 0 && rubric.kind === 'pass-fail') {
    const passed = verdictValues.filter((v) => v === 1).length;
    const ci = wilsonInterval(passed, verdictValues.length);
    human = {
      measure: 'pass-rate',
      value: passed / verdictValues.length,
      interval: [ci.low, ci.high],
      items: verdictValues.length,
    };
  } else if (verdictValues.length > 0 && rubric.kind === 'scale') {
    const { mean, interval } = meanTInterval(verdictValues);
    human = {
      measure: 'mean-rating',
      value: mean,
      interval,
      items: verdictValues.length,
    };
  }

  let judge: RatingJson['judge'] = null;
  if (rubric.kind === 'pass-fail') {
    const compare = (pick: (item: RatingItem) => boolean | null | undefined) => {
      const pairsOf = items.flatMap((item) => {
        const h = verdict.get(item.itemId);
        const j = pick(item);
        return h === undefined || j === null || j === undefined ? [] : [[h, j ? 1 : 0, item.itemId] as const];
      });
      return {
        pairs: pairsOf,
        agreement: pairsOf.length === 0 ? Number.NaN : pairsOf.filter(([h, j]) => h === j).length / pairsOf.length,
        kappa: kappaOf(
          pairsOf.map((p) => p[0]),
          pairsOf.map((p) => p[1]),
          2,
          'none',
        ),
      };
    };
    const overall = compare((item) => item.judged.pass);
    if (overall.pairs.length > 0) {
      const scorerNames = [...new Set(items.flatMap((item) => Object.keys(item.judged.scorers)))].sort();
      judge = {
        agreement: overall.agreement,
        kappa: overall.kappa,
        scorers: scorerNames.map((name) => {
          const c = compare((item) => item.judged.scorers[name]);
          return { name, agreement: c.agreement, kappa: c.kappa };
        }),
        disagreements: overall.pairs
          .filter(([h, j]) => h !== j)
          .slice(0, 20)
          .map(([h, j, itemId]) => ({ itemId, human: ratingText(rubric, h), judge: ratingText(rubric, j) })),
      };
    }
  }

  const split = items.filter((item) => new Set((byItem.get(item.itemId) ?? []).map(String)).size > 1);
  return {
    schemaVersion: 1,
    runId,
    kind: 'rating',
    source,
    against,
    rubric: rubricText(rubric),
    items: items.length,
    raters: raters.map((name) => ({ name, rated: ratings.filter((r) => r.rater === name).length })),
    pairs,
    fleiss,
    alpha: alphaValue === null ? null : { ...alphaValue, level },
    human,
    judge,
    preference: rubric.kind === 'pairwise' ? preferenceOf(items, verdict) : null,
    disagreements: split.slice(0, 20).map((item) => ({
      itemId: item.itemId,
      ratings: Object.fromEntries(
        raters.flatMap((r) => {
          const v = of(r, item.itemId);
          return v === undefined ? [] : [[r, ratingText(rubric, v)]];
        }),
      ),
    })),
    disagreementCount: split.length,
  };
}
