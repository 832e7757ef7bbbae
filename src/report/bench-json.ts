import { LATENCY_METRICS, type LatencyMetric, type LatencyStats, type ThresholdResult } from '../core/types.js';
import type { EfficiencySummary } from '../efficiency/summary.js';
import type { ResourceStat } from '../resources/sampler.js';
import type { TargetDescription } from '../targets/target.js';

/** Percentiles and moments of one metric in ms, as `--json` prints them. */
export type PercentilesJson = Omit<LatencyStats, 'count'>;

export interface StepJson {
  label: string;
  /** `resent`: requests sent a second time because a reused keep-alive connection closed before answering. */
  requests: { completed: number; errored: number; incomplete: number; resent: number };
  durationS: number;
  throughput: EfficiencySummary['throughput'];
  rate: EfficiencySummary['rate'];
  latencyMs: Record<LatencyMetric, PercentilesJson | null>;
  errors: EfficiencySummary['errors'];
}

/** The stable `yardstick bench --json` document (schemaVersion 1); see README. */
export interface BenchJson extends Omit<StepJson, 'label'> {
  schemaVersion: 1;
  runId: string;
  kind: 'bench';
  status: 'completed' | 'interrupted';
  target: TargetDescription;
  profile: Record<string, unknown>;
  thresholds: ThresholdResult[];
  steps: StepJson[];
  tokens: EfficiencySummary['tokens'] & { excludedRequests: number };
  resources: Record<string, ResourceStat | null>;
}

function percentiles(stats: LatencyStats | null): PercentilesJson | null {
  if (stats === null) return null;
  const { mean, min, max, stddev, p50, p90, p95, p99, p999 } = stats;
  return { mean, min, max, stddev, p50, p90, p95, p99, p999 };
}

/** One summary in the JSON shape (without run-level fields). */
export function stepJson(summary: EfficiencySummary): StepJson {
  const { completed, errored, incomplete, resent } = summary.requests;
  return {
    label: summary.label,
    requests: { completed, errored, incomplete, resent },
    durationS: summary.durationS,
    throughput: summary.throughput,
    rate: summary.rate,
    latencyMs: Object.fromEntries(LATENCY_METRICS.map((m) => [m, percentiles(summary.latencyMs[m])])) as Record<LatencyMetric, PercentilesJson | null>,
    errors: summary.errors,
  };
}

export interface BenchJsonInput {
  runId: string;
  interrupted: boolean;
  target: TargetDescription;
  profile: Record<string, unknown>;
  overall: EfficiencySummary;
  steps: EfficiencySummary[];
  /** Sweeps list their steps; single-schedule runs have none. */
  sweep: boolean;
  thresholds: ThresholdResult[];
  resources: Record<string, ResourceStat | null>;
}

/** Assembles the run's JSON document. */
export function benchJson(input: BenchJsonInput): BenchJson {
  const { label: _label, ...overall } = stepJson(input.overall);
  return {
    schemaVersion: 1,
    runId: input.runId,
    kind: 'bench',
    status: input.interrupted ? 'interrupted' : 'completed',
    target: input.target,
    profile: input.profile,
    ...overall,
    thresholds: input.thresholds,
    steps: input.sweep ? input.steps.map(stepJson) : [],
    tokens: { ...input.overall.tokens, excludedRequests: input.overall.requests.excluded },
    resources: input.resources,
  };
}
