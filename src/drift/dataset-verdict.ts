import { benjaminiHochbergAdjust } from '../stats/comparisons.js';
import { MIN_EFFECT } from './column-drift.js';

export type DatasetMethod = 'share' | 'bonferroni' | 'bh';
export const DATASET_METHODS: readonly DatasetMethod[] = ['share', 'bonferroni', 'bh'];

export interface VerdictInput {
  test: string;
  pValue: number | null;
  effectSize: number;
  threshold: number;
  drifted: boolean;
}

/**
 * Column verdicts after multiple-testing control, and the dataset's. `share`: columns keep their own verdicts and the
 * dataset drifts when at least `shareThreshold` of them do (Evidently's rule). `bonferroni` / `bh`: the p-values of the
 * p-value tests are adjusted (family-wise error or false discovery rate at the columns' threshold) before the minimum
 * effect rule; distance tests keep their verdicts; the dataset drifts when any column does.
 */
export function datasetVerdict(
  columns: readonly VerdictInput[],
  method: DatasetMethod,
  shareThreshold: number,
): { columns: boolean[]; adjusted: (number | null)[]; driftedShare: number; drifted: boolean } {
  const withP = columns.map((c, i) => ({ c, i })).filter(({ c }) => c.pValue !== null && c.test in MIN_EFFECT);
  const adjusted: (number | null)[] = columns.map(() => null);
  if (method !== 'share' && withP.length > 0) {
    const raw = withP.map(({ c }) => c.pValue as number);
    const adjustedP =
      method === 'bonferroni' ? raw.map((p) => Math.min(1, p * raw.length)) : benjaminiHochbergAdjust(raw);
    withP.forEach(({ i }, k) => (adjusted[i] = adjustedP[k] ?? null));
  }
  const verdicts = columns.map((c, i) => {
    const p = adjusted[i];
    if (p === null || p === undefined) return c.drifted;
    return p < c.threshold && c.effectSize >= MIN_EFFECT[c.test as keyof typeof MIN_EFFECT];
  });
  const driftedCount = verdicts.filter(Boolean).length;
  const driftedShare = columns.length === 0 ? 0 : driftedCount / columns.length;
  return {
    columns: verdicts,
    adjusted,
    driftedShare,
    drifted: method === 'share' ? columns.length > 0 && driftedShare >= shareThreshold : driftedCount > 0,
  };
}
