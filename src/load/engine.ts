import type { ValidityRules } from '../efficiency/validity.js';
import { monotonicNs, NS_PER_MS } from '../core/clock.js';
import { usageError } from '../core/errors.js';
import type { Target } from '../targets/target.js';
import type { LoadedBenchConfig } from './load-bench-config.js';
import { MetricsRecorder, type RecorderState } from '../efficiency/recorder.js';
import { summarize, type EfficiencySummary } from '../efficiency/summary.js';
import type { ShardHost, ShardHostFactory, ShardSetup } from './shard-host.js';
import type { StepLimits, StepPlan } from './step-plan.js';
import type { TraceScan } from './trace/trace-scan.js';
import { maxConnections, nextStep, stepLimits } from './step-plans.js';
import { InProcessShard } from './in-process-shard.js';
import { prepareSyntheticPrompts, type PreparedPrompts } from './inputs/synthetic.js';
import { loadClientTokenizer } from '../tokens/client-tokenizer.js';
import { clientPromptTokenizer } from '../tokens/prompt-tokenizer.js';
import { WorkerShard, workerEntryAvailable } from './worker-shard.js';
import { measurementWindow, windowDurationNs } from './windows.js';
import { overSaturation, type QueueObservation } from './saturation.js';
import { prepareTrace, type PreparedTrace } from './trace/prepared-trace.js';

/** Threads of this process start a step together this long after it is planned, so none starts late. */
const START_DELAY_MS = 20;

export interface LiveProgress {
  step: string;
  stepIndex: number;
  elapsedS: number;
  sent: number;
  inFlight: number;
  recorder: MetricsRecorder;
}

export interface EngineOptions {
  signal: AbortSignal;
  onProgress?: (progress: LiveProgress) => void;
  progressIntervalMs?: number;
  /** Synthetic prompts prepared by the caller (in the target's own tokens); else counted by the client tokenizer. */
  prompts?: PreparedPrompts;
  /** A trace replay's checked trace and vocabulary, prepared by the caller; else read here with the client tokenizer. */
  trace?: PreparedTrace;
  /**
   * A target of the caller's own, sent to from this thread (an object cannot move to a load thread), so the load
   * must have one worker; the caller closes it.
   */
  target?: Target;
  /** Where the shards run when not on this process's threads (a scale-out run's worker processes). */
  shards?: ShardHostFactory;
}

export interface EngineOutcome {
  steps: EfficiencySummary[];
  /** Each shard's own share, all steps merged, in the order of the hosts. */
  shards: EfficiencySummary[];
  /** All steps merged; for a single-step run, the same as its one step. */
  overall: EfficiencySummary;
  interrupted: boolean;
}

/**
 * Load runs on worker threads, leaving the main thread to progress, resource sampling and signals. Running from
 * TypeScript sources (the unit tests) there is no compiled worker entry, and a single shard runs in this thread.
 */
/** A target object answers in this thread (it cannot move to a load thread), so its load runs on one worker. */
export function checkOneWorkerForOwnTarget(workers: number): void {
  if (workers !== 1)
    throw usageError(
      'WORKERS_UNSUPPORTED',
      `a target object answers in this thread, so the load runs on one worker, not ${workers}`,
      'set load.workers to 1, or describe the target in the config so each load thread builds its own',
    );
}

async function createHosts(
  setup: ShardSetup,
  workers: number,
  own: Target | undefined,
  elsewhere: ShardHostFactory | undefined,
): Promise<ShardHost[]> {
  if (own !== undefined) {
    checkOneWorkerForOwnTarget(workers);
    return [await InProcessShard.create(setup, own)];
  }
  const perWorker: ShardSetup = { ...setup, maxConnections: Math.max(1, Math.ceil(setup.maxConnections / workers)) };
  if (elsewhere !== undefined) return elsewhere.create(perWorker, workers);
  if (workers === 1 && !workerEntryAvailable()) return [await InProcessShard.create(setup)];
  return Promise.all(Array.from({ length: workers }, () => WorkerShard.create(perWorker)));
}

interface StepResult {
  summary: EfficiencySummary;
  state: RecorderState;
  /** Each host's state in this step, in the order of the hosts. */
  shardStates: RecorderState[];
  targetRatePerS: number | null;
}

/** Runs the load a config describes, step by step, and summarizes what it measured. */
export async function runLoad(loaded: LoadedBenchConfig, options: EngineOptions): Promise<EngineOutcome> {
  const { config, slos } = loaded;
  const load = config.load;
  const validity: ValidityRules = {
    minDurationS: config.validity.minDuration / 1000,
    confidence: config.validity.confidence,
    percentiles: config.validity.percentiles,
  };
  const trace = load.profile === 'trace' ? (options.trace ?? (await prepareTrace(load, null))) : null;
  const limits = trace === null ? stepLimits(load) : traceLimits(stepLimits(load), trace.scan);
  const prompts =
    config.input.kind !== 'synthetic' || trace !== null
      ? null
      : (options.prompts ??
        (await prepareSyntheticPrompts(config.input, clientPromptTokenizer(await loadClientTokenizer()))));
  const hosts = await createHosts(
    { config, maxConnections: maxConnections(load), prompts, traceVocabulary: trace?.vocabulary ?? null },
    load.workers,
    options.target,
    options.shards,
  );
  const stopAll = (): void => hosts.forEach((h) => h.stop());
  options.signal.addEventListener('abort', stopAll);
  const results: StepResult[] = [];
  try {
    for (
      let plan = nextStep(load, [], trace?.scan.meanRatePerS ?? null);
      plan !== null && !options.signal.aborted;
      plan = nextStep(
        load,
        results.map((r) => r.summary),
      )
    ) {
      results.push(await runStep(plan, results.length, hosts, limits, { slos, validity }, options));
    }
  } finally {
    options.signal.removeEventListener('abort', stopAll);
    await Promise.all(hosts.map((h) => h.close()));
  }
  const totalNs = results.reduce((sum, r) => sum + r.summary.durationS * 1e9, 0);
  const single = results.length === 1 ? results[0] : undefined;
  const mergedSummary = (label: string, states: RecorderState[], targetRatePerS: number | null): EfficiencySummary => {
    const merged = new MetricsRecorder(null, slos);
    for (const state of states) merged.merge(state);
    const c = merged.counts;
    return summarize(label, merged, {
      durationNs: totalNs,
      targetRatePerS,
      sentInWindow: c.completed + c.errored + c.incomplete,
      hasSlos: slos.length > 0,
      validity,
    });
  };
  const shareOfRate = (rate: number | null): number | null => (rate === null ? null : rate / hosts.length);
  return {
    steps: results.map((r) => r.summary),
    shards: hosts.map((_, i) =>
      mergedSummary(
        `shard ${i + 1}`,
        results.flatMap((r) => r.shardStates.slice(i, i + 1)),
        single === undefined ? null : shareOfRate(single.targetRatePerS),
      ),
    ),
    overall:
      single?.summary ??
      mergedSummary(
        'all steps',
        results.map((r) => r.state),
        null,
      ),
    interrupted: options.signal.aborted,
  };
}

/**
 * A replay without a duration sends until the trace's last arrival: its scaled span (and a millisecond, so that the
 * last arrival is inside), which also gives a warm-up or cool-down share its length.
 */
function traceLimits(limits: StepLimits, scan: TraceScan): StepLimits {
  return { ...limits, durationMs: limits.durationMs ?? scan.spanS * scan.timeScale * 1000 + 1 };
}

async function runStep(
  plan: StepPlan,
  stepIndex: number,
  hosts: ShardHost[],
  limits: ReturnType<typeof stepLimits>,
  rules: { slos: LoadedBenchConfig['slos']; validity: ValidityRules },
  options: EngineOptions,
): Promise<StepResult> {
  const { slos, validity } = rules;
  const own = plan.kind === 'open' ? plan.durationMs : undefined;
  const limitsOfStep = own === undefined ? limits : { ...limits, durationMs: own, maxRequests: null };
  const startAt = monotonicNs() + (options.shards?.startDelayMs ?? START_DELAY_MS) * NS_PER_MS;
  const window = measurementWindow(limitsOfStep, startAt);
  const spec = (shardIndex: number): Parameters<ShardHost['run']>[0] => ({
    shardIndex,
    shardCount: hosts.length,
    step: plan,
    startAt,
    stopSendingAt: limitsOfStep.durationMs === null ? null : startAt + limitsOfStep.durationMs * NS_PER_MS,
    maxRequests: limitsOfStep.maxRequests,
    window,
    slos,
  });
  const timer =
    options.onProgress === undefined
      ? null
      : setInterval(() => report(plan, stepIndex, startAt, hosts, slos, options), options.progressIntervalMs ?? 500);
  const watch =
    plan.kind === 'open' && plan.stopWhenSaturated === true && limitsOfStep.durationMs !== null
      ? watchSaturation(hosts, startAt, limitsOfStep.durationMs / 1000)
      : null;
  try {
    const states = await Promise.all(hosts.map((host, i) => host.run(spec(i))));
    const recorder = new MetricsRecorder(window, slos);
    for (const state of states) recorder.merge(state);
    const c = recorder.counts;
    const summary = summarize(plan.label, recorder, {
      durationNs: windowDurationNs(window, c.firstDueAt, c.lastEndedAt),
      targetRatePerS: plan.targetRatePerS,
      sentInWindow: c.completed + c.errored + c.incomplete,
      hasSlos: slos.length > 0,
      validity,
    });
    const stoppedEarly = watch?.reason() ?? null;
    return {
      summary: stoppedEarly === null ? summary : { ...summary, stoppedEarly },
      state: recorder.serialize(),
      shardStates: states,
      targetRatePerS: plan.targetRatePerS,
    };
  } finally {
    if (timer !== null) clearInterval(timer);
    watch?.dispose();
  }
}

/** The shards' requests sent and in flight, their recorders merged into `recorder` when one is given. */
function snapshotOf(hosts: readonly ShardHost[], recorder: MetricsRecorder | null): { sent: number; inFlight: number } {
  let sent = 0;
  let inFlight = 0;
  for (const host of hosts) {
    const snapshot = host.snapshot();
    sent += snapshot.sent;
    inFlight += snapshot.inFlight;
    if (recorder !== null && snapshot.state !== null) recorder.merge(snapshot.state);
  }
  return { sent, inFlight };
}

/** How often a step that may stop early is looked at. */
const SATURATION_LOOK_MS = 250;

/** Looks at a running step's queue and stops it once it is clearly over-saturated (load/saturation.ts). */
function watchSaturation(
  hosts: readonly ShardHost[],
  startAt: number,
  stepDurationS: number,
): { reason: () => string | null; dispose: () => void } {
  const observations: QueueObservation[] = [];
  let found: string | null = null;
  const look = (): void => {
    const atS = (monotonicNs() - startAt) / 1e9;
    if (atS <= 0 || found !== null) return;
    const { sent, inFlight } = snapshotOf(hosts, null);
    observations.push({ atS, sent, inFlight });
    found = overSaturation(observations, stepDurationS);
    if (found !== null) hosts.forEach((host) => host.stop());
  };
  const timer = setInterval(look, SATURATION_LOOK_MS);
  return { reason: () => found, dispose: () => clearInterval(timer) };
}

function report(
  plan: StepPlan,
  stepIndex: number,
  startAt: number,
  hosts: ShardHost[],
  slos: LoadedBenchConfig['slos'],
  options: EngineOptions,
): void {
  const recorder = new MetricsRecorder(null, slos);
  const { sent, inFlight } = snapshotOf(hosts, recorder);
  options.onProgress?.({
    step: plan.label,
    stepIndex,
    elapsedS: Math.max(0, (monotonicNs() - startAt) / 1e9),
    sent,
    inFlight,
    recorder,
  });
}
