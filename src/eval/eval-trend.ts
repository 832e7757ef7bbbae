import { messageOf } from '../core/errors.js';
import type { StoredRun } from '../store/run-record.js';
import type { Store } from '../store/store.js';
import { compareRuns } from './compare.js';
import { evalRunOf, isEvalRunSettings, storedRunCases } from './stored-eval.js';

/** Which eval runs form a series: the same suite (by name, and by file when given) against one target or all. */
export interface EvalSeriesFilter {
  suite: string;
  target: string | null;
  suitePath?: string | null;
}

/** Eval runs listed at most when looking for a series (newest first). */
export const SERIES_SCAN_LIMIT = 5000;

/** Completed eval runs of the suite (and target), newest first, at most `limit`; `skip` leaves one run out. */
export async function matchingEvalRuns(
  store: Store,
  filter: EvalSeriesFilter,
  limit: number,
  skip?: string,
): Promise<StoredRun[]> {
  const found: StoredRun[] = [];
  for (const listing of await store.listRuns({ limit: SERIES_SCAN_LIMIT, kind: 'eval' })) {
    if (found.length >= limit) break;
    if (listing.id === skip || listing.status !== 'completed') continue;
    // The listing names the target: other targets' runs are never read.
    if (filter.target !== null && listing.targetName !== filter.target) continue;
    const stored = await store.getRun(listing.id);
    const run = stored === null ? null : evalRunOf(stored);
    if (stored === null || run === null || run.summary === null) continue;
    if (run.summary.suite !== filter.suite) continue;
    if (filter.target !== null && run.target.name !== filter.target) continue;
    if (filter.suitePath !== undefined) {
      const settings = run.config;
      if (!isEvalRunSettings(settings) || settings.suitePath !== filter.suitePath) continue;
    }
    found.push(stored);
  }
  return found;
}

/** One run of a series: when it was made and its suite metrics with their intervals. */
export interface TrendPoint {
  runId: string;
  /** When the run was created (ISO 8601). */
  at: string;
  metrics: Record<string, { value: number; ci: [number, number] | null }>;
  /** Thresholds the run failed. */
  failing: string[];
}

/** A metric that changed beyond chance between two consecutive runs (paired tests on their shared cases, Holm-adjusted). */
export interface TrendChange {
  from: string;
  to: string;
  /** When the later run was created. */
  at: string;
  metric: string;
  a: number;
  b: number;
  difference: number;
  pAdjusted: number;
  direction: 'better' | 'worse';
  sharedCases: number;
}

/** The runs of one suite against one target, oldest first, with the significant changes between consecutive runs. */
export interface TrendSeries {
  target: string;
  points: TrendPoint[];
  changes: TrendChange[];
  /** Consecutive runs that could not be compared, and why (no shared case). */
  notCompared: { from: string; to: string; reason: string }[];
}

export interface EvalTrend {
  schemaVersion: 1;
  kind: 'trend';
  suite: string;
  alpha: number;
  series: TrendSeries[];
}

function point(stored: StoredRun): TrendPoint | null {
  const run = evalRunOf(stored);
  if (run === null || run.summary === null) return null;
  return {
    runId: stored.id,
    at: stored.createdAt,
    metrics: Object.fromEntries(
      Object.entries(run.summary.metrics).map(([name, m]) => [name, { value: m.value, ci: m.ci }]),
    ),
    failing: run.summary.thresholds.filter((t) => !t.pass).map((t) => t.expr),
  };
}

/**
 * The trend of a suite's metrics over its stored runs (the last `limit` of each target, as a canary makes them):
 * each run's metrics with intervals, and between each run and the one before, the paired comparison of `compare`
 * (McNemar or a paired bootstrap on their shared cases, Holm-adjusted at `alpha`), keeping the significant changes.
 */
export async function evalTrend(
  store: Store,
  filter: EvalSeriesFilter,
  options: { limit: number; alpha: number; resamples: number; seed: number },
): Promise<EvalTrend> {
  const runs = await matchingEvalRuns(store, filter, Number.MAX_SAFE_INTEGER);
  const byTarget = new Map<string, StoredRun[]>();
  for (const run of runs) {
    const list = byTarget.get(run.target.name) ?? [];
    if (list.length < options.limit) list.push(run);
    byTarget.set(run.target.name, list);
  }
  const series: TrendSeries[] = [];
  for (const [target, newestFirst] of byTarget) {
    const ordered = [...newestFirst].sort((a, b) =>
      a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0,
    );
    const changes: TrendChange[] = [];
    const notCompared: TrendSeries['notCompared'] = [];
    for (let i = 1; i < ordered.length; i += 1) {
      const before = ordered[i - 1] as StoredRun;
      const after = ordered[i] as StoredRun;
      try {
        const compared = compareRuns(
          await storedRunCases(store, before, 'trend'),
          await storedRunCases(store, after, 'trend'),
          { intersect: true, alpha: options.alpha, resamples: options.resamples, seed: options.seed },
        );
        for (const m of compared.metrics)
          if (m.significant)
            changes.push({
              from: before.id,
              to: after.id,
              at: after.createdAt,
              metric: m.name,
              a: m.a,
              b: m.b,
              difference: m.difference,
              pAdjusted: m.pAdjusted,
              direction: m.difference >= 0 ? 'better' : 'worse',
              sharedCases: compared.n,
            });
      } catch (error) {
        notCompared.push({
          from: before.id,
          to: after.id,
          reason: messageOf(error),
        });
      }
    }
    series.push({
      target,
      points: ordered.flatMap((run) => {
        const p = point(run);
        return p === null ? [] : [p];
      }),
      changes,
      notCompared,
    });
  }
  return { schemaVersion: 1, kind: 'trend', suite: filter.suite, alpha: options.alpha, series };
}
