/** One objective of a Pareto comparison: which way is better. */
export interface Objective {
  name: string;
  better: 'higher' | 'lower';
}

/**
 * For each point, the indices of the points that dominate it: at least as good on every objective and strictly
 * better on one. Points with none form the Pareto frontier. Values must be finite for every objective compared.
 */
export function dominators(points: readonly (readonly number[])[], objectives: readonly Objective[]): number[][] {
  const atLeastAsGood = (a: readonly number[], b: readonly number[], k: number): boolean =>
    objectives[k]?.better === 'higher' ? (a[k] as number) >= (b[k] as number) : (a[k] as number) <= (b[k] as number);
  const strictlyBetter = (a: readonly number[], b: readonly number[], k: number): boolean =>
    objectives[k]?.better === 'higher' ? (a[k] as number) > (b[k] as number) : (a[k] as number) < (b[k] as number);
  return points.map((p, i) =>
    points.flatMap((q, j) => {
      if (i === j) return [];
      const dominates =
        objectives.every((_, k) => atLeastAsGood(q, p, k)) && objectives.some((_, k) => strictlyBetter(q, p, k));
      return dominates ? [j] : [];
    }),
  );
}
