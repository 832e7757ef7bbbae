import { dominators, type Objective } from '../tradeoff/pareto.js';

/** One rung of successive halving: how many cases each configuration is evaluated on, and how many are. */
export interface Rung {
  cases: number;
  configurations: number;
}

/**
 * The rungs of successive halving over `configurations` candidates and `totalCases` cases: the first evaluates every
 * candidate on `minCases` cases; each next keeps the best 1/eta of the last (never fewer than `finalists`) on eta
 * times as many cases; the last evaluates the survivors on every case, so they are compared on the same cases.
 */
export function halvingRungs(
  configurations: number,
  totalCases: number,
  options: { minCases: number; eta: number; finalists: number },
): Rung[] {
  const rungs: Rung[] = [];
  let cases = Math.min(totalCases, options.minCases);
  let kept = configurations;
  for (;;) {
    rungs.push({ cases, configurations: kept });
    if (cases >= totalCases) return rungs;
    cases = Math.min(totalCases, cases * options.eta);
    kept = Math.min(kept, Math.max(options.finalists, Math.ceil(kept / options.eta)));
  }
}

/**
 * Each point's Pareto rank (1: on the frontier; 2: on it once rank 1 is removed; …), from the points that dominate
 * it: a point's rank is one more than the highest rank among its dominators.
 */
export function paretoRanks(points: readonly (readonly number[])[], objectives: readonly Objective[]): number[] {
  const dominatedBy = dominators(points, objectives);
  const ranks = points.map(() => 0);
  let assigned = 0;
  for (let rank = 1; assigned < points.length; rank += 1) {
    const front = ranks.flatMap((r, i) =>
      r === 0 && (dominatedBy[i] ?? []).every((j) => (ranks[j] ?? 0) > 0 && (ranks[j] ?? 0) < rank) ? [i] : [],
    );
    if (front.length === 0) break;
    for (const i of front) ranks[i] = rank;
    assigned += front.length;
  }
  return ranks;
}

/** Indices of the points, best first: by Pareto rank, then the first objective, then their order. */
export function rankedOrder(points: readonly (readonly number[])[], objectives: readonly Objective[]): number[] {
  const ranks = paretoRanks(points, objectives);
  const first = objectives[0];
  const primary = (i: number): number => {
    const value = points[i]?.[0] ?? 0;
    return first?.better === 'higher' ? -value : value;
  };
  return points.map((_, i) => i).sort((a, b) => (ranks[a] ?? 0) - (ranks[b] ?? 0) || primary(a) - primary(b) || a - b);
}
