import { usageError } from '../core/errors.js';
import type { BenchJson, StepJson } from '../efficiency/bench-json.js';
import { benchRepeatsRunOf } from '../efficiency/bench-repeats.js';
import { benchRunOf } from '../efficiency/stored-bench.js';
import { analyzeScaling } from '../jobs/scaling-analysis.js';
import type { ScaleExecution, ScaleJson } from '../jobs/scale-json.js';
import { newRunId } from '../store/run-id.js';
import { saveFinishedRun } from '../store/run-lifecycle.js';
import type { Store } from '../store/store.js';

/** Which throughput of a bench run measures its replicas' capacity. */
export type BenchThroughput = 'requests' | 'output-tokens' | 'goodput';

/** One replica count and the stored run (a bench, or repeated benches) measured at it. */
export interface ReplicaRun {
  replicas: number;
  runId: string;
}

/** `--bench-runs 1=RUN,2=RUN,4=RUN` as replica counts and run ids; exit 2 naming a malformed entry. */
export function parseReplicaRuns(text: string): ReplicaRun[] {
  return text.split(',').map((entry) => {
    const match = /^\s*(\d+)\s*=\s*(\S+)\s*$/.exec(entry);
    const replicas = Number(match?.[1]);
    if (match === null || !(replicas >= 1))
      throw usageError(
        'FLAG_INVALID',
        `--bench-runs entry '${entry}' is not REPLICAS=RUN_ID`,
        'e.g. --bench-runs 1=20261206-101500-ab12,2=20261206-103000-cd34',
      );
    return { replicas, runId: match[2] ?? '' };
  });
}

function valueOf(step: Pick<StepJson, 'throughput'>, by: BenchThroughput): number | null {
  if (by === 'requests') return step.throughput.requestsPerS;
  if (by === 'output-tokens') return step.throughput.outputTokensPerS;
  return step.throughput.goodputPerS;
}

/** A bench run's capacity: the highest throughput over a sweep's steps, or the run's own without steps. */
function capacityOf(bench: BenchJson, by: BenchThroughput): { perS: number | null; durationS: number } {
  if (bench.steps.length === 0) return { perS: valueOf(bench, by), durationS: bench.durationS };
  const values = bench.steps.flatMap((s) => {
    const v = valueOf(s, by);
    return v === null ? [] : [{ v, durationS: s.durationS }];
  });
  const best = values.reduce<{ v: number; durationS: number } | null>(
    (a, b) => (a === null || b.v > a.v ? b : a),
    null,
  );
  return best === null ? { perS: null, durationS: bench.durationS } : { perS: best.v, durationS: best.durationS };
}

/** The bench summaries a stored run holds: itself, or each repeat of a repeated bench. */
async function benchesOf(store: Store, runId: string): Promise<BenchJson[]> {
  const stored = await store.getRun(runId);
  if (stored === null)
    throw usageError('RUN_NOT_FOUND', `no run with id '${runId}' in the store`, 'list runs with `yardstick runs list`');
  const bench = benchRunOf(stored)?.summary;
  if (bench !== undefined && bench !== null) return [bench];
  const repeats = benchRepeatsRunOf(stored)?.summary;
  if (repeats === undefined || repeats === null)
    throw usageError(
      'RUN_KIND_MISMATCH',
      `run ${runId} is a ${stored.kind} run, not a finished bench`,
      'name bench runs (a sweep, or bench --repeats) measured at each replica count',
    );
  const benches: BenchJson[] = [];
  for (const r of repeats.runs) {
    const child = await store.getRun(r.runId);
    const summary = child === null ? null : (benchRunOf(child)?.summary ?? null);
    if (summary !== null) benches.push(summary);
  }
  return benches;
}

/**
 * The scaling of a served model over replica counts from stored bench runs: each run's capacity (its highest
 * throughput, over a sweep's steps) is one observation of seconds per request (1 / throughput) at its count,
 * analysed as strong scaling (Amdahl). Stored as a `scale` run.
 */
export async function scaleFromBenchRuns(
  store: Store,
  replicaRuns: readonly ReplicaRun[],
  options: { by: BenchThroughput; efficiencyBound: number },
): Promise<ScaleJson> {
  const benchesByRun = new Map<string, BenchJson[]>();
  for (const { runId } of replicaRuns) benchesByRun.set(runId, await benchesOf(store, runId));
  const executions: ScaleExecution[] = replicaRuns.flatMap(({ replicas, runId }) =>
    (benchesByRun.get(runId) ?? []).map((bench, index): ScaleExecution => {
      const { perS, durationS } = capacityOf(bench, options.by);
      const counts = perS !== null && perS > 0;
      return {
        workers: replicas,
        size: 1,
        repeat: index + 1,
        role: 'point',
        runId: bench.runId,
        exitCode: null,
        signal: null,
        wallS: durationS,
        cpuS: null,
        secondsPerUnit: counts ? 1 / perS : null,
        failure: counts ? null : `it has no ${options.by} throughput above 0`,
      };
    }),
  );
  const workers = [...new Set(replicaRuns.map((r) => r.replicas))].sort((a, b) => a - b);
  if (workers.length < 2)
    throw usageError(
      'FLAG_INVALID',
      'a scaling study needs runs at two replica counts or more',
      'e.g. 1=RUN_A,2=RUN_B',
    );
  const summary: ScaleJson = {
    schemaVersion: 1,
    runId: newRunId(),
    kind: 'scale',
    source: 'bench-runs',
    command: [],
    env: {},
    measure: { by: 'request-rate', throughput: options.by },
    workers,
    repeats: Math.max(...workers.map((w) => executions.filter((e) => e.workers === w).length)),
    executions,
    failures: executions.filter((e) => e.failure !== null).length,
    analysis: analyzeScaling(
      workers.map((w) => ({
        workers: w,
        secondsPerUnit: executions.flatMap((e) =>
          e.workers === w && e.secondsPerUnit !== null ? [e.secondsPerUnit] : [],
        ),
      })),
      { mode: 'strong', efficiencyBound: options.efficiencyBound },
    ),
  };
  const first = executions[0];
  await saveFinishedRun(store, {
    id: summary.runId,
    kind: 'scale',
    createdAt: new Date().toISOString(),
    status: 'completed',
    config: { benchRuns: replicaRuns.map((r) => `${r.replicas}=${r.runId}`), by: options.by },
    target: {
      kind: 'bench-runs',
      name: `replicas ${workers.join(', ')}`,
      url: first === undefined ? '' : `run://${first.runId}`,
      model: null,
      streaming: false,
    },
    summary,
  });
  return summary;
}
