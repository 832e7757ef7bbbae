import { tQuantile } from '../stats/distributions.js';
import { sampleMeanVariance } from '../stats/standard-errors.js';
import type { RunRecordOf, StoredRun } from '../store/run-record.js';
import { runOfKind, summaryGuard } from '../store/stored-summary.js';
import type { BenchJson } from './bench-json.js';

/** One statistic of a bench run over its repeats: each run's value and their mean, spread and interval. */
export interface RepeatedStatistic {
  name: string;
  unit: 'ms' | '/s' | 'share';
  /** Each repeat's value, in run order (null where a run did not measure it). */
  values: (number | null)[];
  mean: number | null;
  /** Sample standard deviation over the repeats (n − 1). */
  sd: number | null;
  min: number | null;
  max: number | null;
  /** Coefficient of variation, sd / mean. */
  cv: number | null;
  /** Student's t interval of the mean over the repeats; null below two values. */
  ci: [number, number] | null;
}

/** The stable `yardstick bench --repeats N --json` document (schemaVersion 1). */
export interface BenchRepeatsJson {
  schemaVersion: 1;
  runId: string;
  kind: 'bench-repeats';
  target: BenchJson['target'];
  repeats: number;
  pauseS: number;
  confidence: number;
  /** The bench runs, in order. */
  runs: { runId: string; status: BenchJson['status']; thresholdsFailed: number; validity: string | null }[];
  statistics: RepeatedStatistic[];
  notes: string[];
}

/** What is summarized over repeats, and how each run gives it. */
const REPEATED: [name: string, unit: RepeatedStatistic['unit'], value: (run: BenchJson) => number | null][] = [
  ['p50(ttft)', 'ms', (r) => r.latencyMs.ttft?.p50 ?? null],
  ['p95(ttft)', 'ms', (r) => r.latencyMs.ttft?.p95 ?? null],
  ['p99(ttft)', 'ms', (r) => r.latencyMs.ttft?.p99 ?? null],
  ['p50(e2e)', 'ms', (r) => r.latencyMs.e2e?.p50 ?? null],
  ['p95(e2e)', 'ms', (r) => r.latencyMs.e2e?.p95 ?? null],
  ['p99(e2e)', 'ms', (r) => r.latencyMs.e2e?.p99 ?? null],
  ['p50(itl)', 'ms', (r) => r.latencyMs.itl?.p50 ?? null],
  ['p50(tpot)', 'ms', (r) => r.latencyMs.tpot?.p50 ?? null],
  ['throughput', '/s', (r) => r.throughput.requestsPerS],
  ['output_throughput', '/s', (r) => r.throughput.outputTokensPerS],
  [
    'error_rate',
    'share',
    (r) => {
      const total = r.requests.completed + r.requests.errored;
      return total === 0 ? null : r.requests.errored / total;
    },
  ],
];

/** Mean, spread and t interval of the values a statistic took over the repeats. */
export function repeatedStatistic(
  name: string,
  unit: RepeatedStatistic['unit'],
  values: (number | null)[],
  confidence: number,
): RepeatedStatistic {
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const n = present.length;
  if (n === 0) return { name, unit, values, mean: null, sd: null, min: null, max: null, cv: null, ci: null };
  const { mean, variance } = sampleMeanVariance(present);
  const sd = n < 2 ? null : Math.sqrt(variance);
  const half = sd === null ? null : (tQuantile(0.5 + confidence / 2, n - 1) * sd) / Math.sqrt(n);
  return {
    name,
    unit,
    values,
    mean,
    sd,
    min: Math.min(...present),
    max: Math.max(...present),
    cv: sd === null || mean === 0 ? null : sd / mean,
    ci: half === null ? null : [mean - half, mean + half],
  };
}

/** The repeats of one bench run summarized: each statistic's value per run, mean, spread and interval. */
export function summarizeRepeats(
  runId: string,
  runs: readonly BenchJson[],
  settings: { pauseS: number; confidence: number },
): BenchRepeatsJson {
  const first = runs[0];
  if (first === undefined) throw new Error('summarizeRepeats needs at least one run');
  const notes: string[] = [];
  const unfinished = runs.filter((r) => r.status !== 'completed').length;
  if (unfinished > 0)
    notes.push(`${unfinished} of ${runs.length} repeats did not complete; their values are still listed`);
  return {
    schemaVersion: 1,
    runId,
    kind: 'bench-repeats',
    target: first.target,
    repeats: runs.length,
    pauseS: settings.pauseS,
    confidence: settings.confidence,
    runs: runs.map((r) => ({
      runId: r.runId,
      status: r.status,
      thresholdsFailed: r.thresholds.filter((t) => !t.pass).length,
      validity: r.validity?.verdict ?? null,
    })),
    statistics: REPEATED.map(([name, unit, value]) =>
      repeatedStatistic(name, unit, runs.map(value), settings.confidence),
    ),
    notes,
  };
}

export type BenchRepeatsRecord = RunRecordOf<'bench-repeats', BenchRepeatsJson>;

export const isBenchRepeatsJson = summaryGuard<BenchRepeatsJson>('bench-repeats');

/** The stored run as a bench-repeats run; null when it is another kind. */
export function benchRepeatsRunOf(stored: StoredRun): BenchRepeatsRecord | null {
  return runOfKind(stored, 'bench-repeats', isBenchRepeatsJson);
}
