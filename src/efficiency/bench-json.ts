import {
  LATENCY_METRICS,
  type LatencyMetric,
  type LatencyStats,
  type TargetDescription,
  type ThresholdResult,
} from '../core/types.js';
import type { EfficiencySummary } from './summary.js';
import type { SessionsSummary } from './session-recorder.js';
import type { ResourceStat } from '../resources/sampler.js';
import type { ServerMetricsRecord, ServerTokenCounts } from '../resources/server-metrics.js';
import type { PromptTokenizerSource } from '../tokens/prompt-tokenizer.js';

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
  errorSamples: EfficiencySummary['errorSamples'];
  finishReasons: EfficiencySummary['finishReasons'];
  connections: EfficiencySummary['connections'];
  /** Absent from runs stored before validity verdicts existed. */
  validity?: EfficiencySummary['validity'];
  /** Multi-turn sessions: how they ended and each turn's latency; absent for single requests. */
  sessions?: SessionsSummary;
  /** Why the step was stopped before its end (over-saturated); absent when it ran its course. */
  stoppedEarly?: string;
}

/** The server's own Prometheus metrics over the run and its token counters' growth, or why they were not read. */
export type ServerMetricsJson = (ServerMetricsRecord & { tokens: ServerTokenCounts | null }) | { notMeasured: string };

/** The stable `yardstick bench --json` document (schemaVersion 1); see README. */
export interface BenchJson extends Omit<StepJson, 'label'> {
  schemaVersion: 1;
  runId: string;
  kind: 'bench';
  /** `failed`: no request completed, every one that finished failed; `partial`: a scale-out worker was lost mid-run. */
  status: 'completed' | 'interrupted' | 'failed' | 'partial';
  target: TargetDescription;
  profile: Record<string, unknown>;
  thresholds: ThresholdResult[];
  steps: StepJson[];
  tokens: EfficiencySummary['tokens'] & { excludedRequests: number };
  resources: Record<string, ResourceStat | null>;
  serverMetrics: ServerMetricsJson;
  /** The local server process whose resources were sampled (`--target-pid`); null when none was named. */
  targetProcess: TargetProcess | null;
  /** How the synthetic prompts were counted; null when prompts came from a file. */
  prompts: PromptsJson | null;
  /** What a capacity search found (the `slo-search` profile only). */
  sloSearch?: SloSearchJson;
  /** The trace a replay sent (the `trace` profile only). */
  trace?: TraceJson;
  /** The dataset the prompts came from (`input.kind: dataset` only). */
  dataset?: DatasetJson;
  /** The whole distributions of ttft, e2e, itl and tpot (compressed HDR histograms, base64), for `yardstick compare`; absent from runs stored before. */
  histograms?: EfficiencySummary['histograms'];
  /** A load spread over worker processes (`--queue`): each worker's share, clock and fate; absent for a local run. */
  scaleOut?: ScaleOutJson;
}

/** A bench whose shards ran in `yardstick worker` processes. */
export interface ScaleOutJson {
  /** The Redis the shards went through (no password). */
  queue: string;
  /** True when a worker was lost mid-run: its share from then on is missing from every number. */
  partial: boolean;
  workers: ScaleOutWorkerJson[];
}

export interface ScaleOutWorkerJson {
  /** From 1. */
  shard: number;
  /** `hostname:pid` of the worker process. */
  worker: string;
  /**
   * Its monotonic clock minus ours (what the start instants were moved by), known to ± `uncertaintyMs`; and how far
   * its wall clock is set from ours.
   */
  clock: { offsetMs: number; uncertaintyMs: number; wallOffsetMs: number };
  rate: EfficiencySummary['rate'];
  requests: { completed: number; errored: number; incomplete: number };
  scheduleLagMs: PercentilesJson | null;
  /** Why the worker was given up, or null. */
  lost: string | null;
}

/** Whose tokenizer counted a run's synthetic prompts, why it is the client's when it is, and the lengths it found. */
export interface PromptsJson {
  tokenizer: string;
  tokenizerSource: PromptTokenizerSource;
  /** Why the target's own tokenizer was not used; null when it was. */
  fallbackReason: string | null;
  requestedTokens: number;
  unique: number;
  tokens: { min: number; max: number; mean: number };
  /**
   * The length distributions asked for and what was drawn from them (one draw per unique prompt): prompt lengths
   * (`tokens` above is what they counted once cut) and max_tokens. Absent from runs stored before distributions.
   */
  lengths?: {
    input: { requested: string; drawn: { min: number; max: number; mean: number } };
    output: { requested: string; drawn: { min: number; max: number; mean: number } };
  };
  /** Shared prefixes asked for, and how many prompts (of `unique`) start with one, over how many distinct prefixes. */
  prefixes?: { buckets: { count: number; tokens: number; share: number }[]; prefixedPrompts: number; distinct: number };
}

/** What a capacity search found: the highest rate meeting every objective, its bracket, and each step's verdict. */
export interface SloSearchJson {
  objectives: string[];
  capacityPerS: number | null;
  interval: [number, number | null] | null;
  confirmed: boolean;
  steps: { label: string; targetPerS: number; achievedPerS: number; passed: boolean; failedObjectives: string[] }[];
  notes: string[];
}

/** A replayed trace: its requests, span, replay rate and lengths, and the tokenizer its prompts were counted in. */
export interface TraceJson {
  path: string;
  format: string;
  requests: number;
  spanS: number;
  timeScale: number;
  meanRatePerS: number;
  inputTokens: { min: number; max: number; mean: number } | null;
  outputTokens: { min: number; max: number; mean: number };
  withPromptText: number;
  withBlocks: number;
  tokenizer: string;
  /** False when prompt lengths are only approximate (the tokenizer counts too few of the words as one token each); absent from runs stored before. */
  exactLengths?: boolean;
}

/** A dataset as prompt source: its records, the conversations used, their turns, and what was left out and why. */
export interface DatasetJson {
  path: string;
  format: string;
  conversations: 'first-turn' | 'whole';
  records: number;
  used: number;
  skipped: number;
  skipReasons: string[];
  turns: { mean: number; max: number };
}

/** A local target process: its pid and command line (null when /proc could not tell). */
export interface TargetProcess {
  pid: number;
  commandLine: string | null;
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
    latencyMs: Object.fromEntries(LATENCY_METRICS.map((m) => [m, percentiles(summary.latencyMs[m])])) as Record<
      LatencyMetric,
      PercentilesJson | null
    >,
    errors: summary.errors,
    errorSamples: summary.errorSamples,
    finishReasons: summary.finishReasons,
    connections: summary.connections,
    validity: summary.validity,
    ...(summary.sessions === undefined ? {} : { sessions: summary.sessions }),
    ...(summary.stoppedEarly === undefined ? {} : { stoppedEarly: summary.stoppedEarly }),
  };
}

export interface BenchJsonInput {
  runId: string;
  interrupted: boolean;
  target: TargetDescription;
  profile: Record<string, unknown>;
  overall: EfficiencySummary;
  steps: EfficiencySummary[];
  /** Sweeps and capacity searches list their steps; single-schedule runs have none. */
  sweep: boolean;
  /** What a capacity search (`slo-search`) found; null for other profiles. */
  sloSearch: SloSearchJson | null;
  thresholds: ThresholdResult[];
  resources: Record<string, ResourceStat | null>;
  serverMetrics: ServerMetricsJson;
  targetProcess: TargetProcess | null;
  prompts: PromptsJson | null;
  trace?: TraceJson | null;
  dataset?: DatasetJson | null;
  scaleOut?: ScaleOutJson | null;
}

/** Whether requests finished and every one of them failed: a dead or misnamed target, not a measurement. */
export function everyRequestFailed(summary: EfficiencySummary): boolean {
  return summary.requests.completed === 0 && summary.requests.errored > 0;
}

/** Assembles the run's JSON document. */
export function benchJson(input: BenchJsonInput): BenchJson {
  const { label: _label, ...overall } = stepJson(input.overall);
  return {
    schemaVersion: 1,
    runId: input.runId,
    kind: 'bench',
    status: input.interrupted
      ? 'interrupted'
      : everyRequestFailed(input.overall)
        ? 'failed'
        : input.scaleOut?.partial === true
          ? 'partial'
          : 'completed',
    target: input.target,
    profile: input.profile,
    ...overall,
    thresholds: input.thresholds,
    steps: input.sweep ? input.steps.map(stepJson) : [],
    tokens: { ...input.overall.tokens, excludedRequests: input.overall.requests.excluded },
    resources: input.resources,
    serverMetrics: input.serverMetrics,
    targetProcess: input.targetProcess,
    prompts: input.prompts,
    histograms: input.overall.histograms,
    ...(input.sloSearch === null ? {} : { sloSearch: input.sloSearch }),
    ...(input.trace === undefined || input.trace === null ? {} : { trace: input.trace }),
    ...(input.dataset === undefined || input.dataset === null ? {} : { dataset: input.dataset }),
    ...(input.scaleOut === undefined || input.scaleOut === null ? {} : { scaleOut: input.scaleOut }),
  };
}
