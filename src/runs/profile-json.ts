import type { ServedModelInfo } from '../serve/model-backend.js';
import type { EvalJson } from '../eval/eval-summary.js';
import type { BenchJson } from '../efficiency/bench-json.js';
import type { RunStatus } from '../store/run-record.js';
import type { TradeoffJson } from '../tradeoff/tradeoff.js';

/** The few numbers that say how one run of a profile went; the run itself holds everything. */
export interface Headline {
  /** Eval runs: accuracy (or pass rate) with its interval. */
  metric: { name: string; value: number | null; ci: [number, number] | null; n: number } | null;
  /** Eval runs: p50 and p95 end-to-end latency of the answers measured in the run. */
  p50LatencyMs: number | null;
  p95LatencyMs: number | null;
  /** Eval runs with repeats: mean agreement of a case's answers across repeats. */
  repeatAgreement: number | null;
  /** Bench runs: the highest completed-request throughput of any step, and p95 latency at the lowest load. */
  maxRequestsPerS: number | null;
  p95LatencyAtLowestLoadMs: number | null;
  errorRate: number;
  thresholdsFailed: number;
}

export interface ProfileChild {
  /** The stored run; null when the target could not be reached, so no run began. */
  runId: string | null;
  kind: 'eval' | 'bench';
  target: string;
  /** The suite's or the load profile's name. */
  of: string;
  status: RunStatus;
  headline: Headline;
  /** Why the run failed (the target unreachable, or every request to it failing); null otherwise. */
  error: string | null;
}

export interface ProfileTradeoff {
  suite: string;
  tradeoff: TradeoffJson | null;
  /** Why there is no tradeoff, when there is none. */
  note: string | null;
}

/** The summary of a profile run (`yardstick run --json`, `yardstick demo --json`). */
export interface ProfileJson {
  schemaVersion: 1;
  runId: string;
  kind: 'profile';
  name: string;
  description: string | null;
  status: RunStatus;
  durationS: number;
  /** The reference models served for this profile: what each is, its training time and validation accuracy. */
  models: (ServedModelInfo & { id: string })[];
  runs: ProfileChild[];
  tradeoffs: ProfileTradeoff[];
  thresholdsFailed: number;
  /** Runs that failed because of their target; the profile went on with the others. */
  targetsFailed: number;
  /** Why the profile itself stopped (bad config, a bug), with the runs it finished before; null when it did not. */
  error: string | null;
}

/** An eval run's headline: accuracy when the suite has labels, else pass rate. */
export function evalHeadline(summary: EvalJson): Headline {
  const name = summary.metrics.accuracy !== undefined ? 'accuracy' : 'pass_rate';
  const metric = summary.metrics[name];
  const answered = summary.cases.answered + summary.cases.errored;
  return {
    metric: metric === undefined ? null : { name, value: metric.value, ci: metric.ci, n: metric.n },
    p50LatencyMs: summary.latencyMs.e2e?.p50 ?? null,
    p95LatencyMs: summary.latencyMs.e2e?.p95 ?? null,
    repeatAgreement: summary.repeatability?.agreement ?? null,
    maxRequestsPerS: null,
    p95LatencyAtLowestLoadMs: null,
    errorRate: answered === 0 ? 0 : summary.cases.errored / answered,
    thresholdsFailed: summary.thresholds.filter((t) => !t.pass).length,
  };
}

/** A bench run's headline: peak throughput over its steps and the latency of its lightest step. */
export function benchHeadline(summary: BenchJson): Headline {
  const steps = summary.steps.length > 0 ? summary.steps : [summary];
  const lightest = steps[0];
  const total = summary.requests.completed + summary.requests.errored;
  return {
    metric: null,
    p50LatencyMs: null,
    p95LatencyMs: null,
    repeatAgreement: null,
    maxRequestsPerS: Math.max(...steps.map((s) => s.throughput.requestsPerS)),
    p95LatencyAtLowestLoadMs: lightest?.latencyMs.e2e?.p95 ?? null,
    errorRate: total === 0 ? 0 : summary.requests.errored / total,
    thresholdsFailed: summary.thresholds.filter((t) => !t.pass).length,
  };
}

/** The headline of a run that measured nothing: its target could not be reached, or answered no request. */
export function failedHeadline(): Headline {
  return {
    metric: null,
    p50LatencyMs: null,
    p95LatencyMs: null,
    repeatAgreement: null,
    maxRequestsPerS: null,
    p95LatencyAtLowestLoadMs: null,
    errorRate: 1,
    thresholdsFailed: 0,
  };
}
