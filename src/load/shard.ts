import type { MeasurementWindow } from '../efficiency/measurement-window.js';
import { MetricsRecorder } from '../efficiency/recorder.js';
import type { Slo } from '../efficiency/slo.js';
import { monotonicNs } from '../core/clock.js';
import type { Target } from '../targets/target.js';
import { arrivals } from './arrivals.js';
import { runOpenLoop } from './open-loop.js';
import type { InputSource } from './inputs/input-source.js';
import type { Exchange, TargetRequest } from '../core/types.js';
import { runSession, type SessionContext } from './session.js';
import { TraceReplay } from './trace/trace-replay.js';
import type { TracePrompts } from './trace/trace-prompts.js';
import type { StepPlan } from './step-plan.js';
import { waitUntil } from './wait.js';

/** What one shard (one thread's share) of a step runs. Plain data: it crosses to worker threads. */
export interface ShardSpec {
  shardIndex: number;
  shardCount: number;
  step: StepPlan;
  /** Monotonic ns at which every shard starts the step. */
  startAt: number;
  /** No request is sent at or after this time; null for no time limit. */
  stopSendingAt: number | null;
  /** Requests of the whole step (all shards); null for no count limit. */
  maxRequests: number | null;
  window: MeasurementWindow | null;
  slos: Slo[];
}

/** Live counters of a running shard, read for progress display. */
export interface ShardProgress {
  sent: number;
  inFlight: number;
}

function shareOf(total: number, index: number, count: number): number {
  return Math.floor(total / count) + (index < total % count ? 1 : 0);
}

/** Where a shard's requests come from: the run's input, or (a trace replay) the trace's own prompts. */
export interface ShardInputs {
  source: InputSource | null;
  trace: TracePrompts | null;
  /** Counts a session turn's prompt in client tokens. */
  count: (text: string) => number;
  /** Sessions: the pause between an answer and the next turn. */
  thinkTimeMs: number;
  /** Ask for exactly max_tokens (`ignore_eos`, `min_tokens`). */
  fixedOutputLength: boolean;
}

function missingInput(what: string): Error {
  return new Error(`the shard was built without ${what}`);
}

function replayOf(step: StepPlan, inputs: ShardInputs): TraceReplay | null {
  if (step.kind !== 'trace') return null;
  if (inputs.trace === null) throw missingInput('trace prompts');
  return new TraceReplay(step.trace, inputs.trace);
}

/** A trace replay's arrivals for this shard. */
function traceArrivals(replay: TraceReplay | null, spec: ShardSpec): Iterator<[number, number]> {
  if (replay === null) throw missingInput('a trace to replay');
  return replay.arrivals(spec.startAt, spec.shardIndex, spec.shardCount);
}

/** Runs one shard of a step to completion (or until the signal aborts) and returns its recorder. */
export async function runShard(
  spec: ShardSpec,
  target: Target,
  inputs: ShardInputs,
  signal: AbortSignal,
  progress: ShardProgress,
  recorder: MetricsRecorder = new MetricsRecorder(spec.window, spec.slos),
): Promise<MetricsRecorder> {
  const step = spec.step;
  const replay = replayOf(step, inputs);
  const requestAt = (index: number): TargetRequest => {
    if (replay !== null) return replay.request(index);
    if (inputs.source === null) throw missingInput('an input source');
    return inputs.source.requestAt(index);
  };
  const send = async (request: TargetRequest, intendedAt: number | null): Promise<Exchange> => {
    progress.sent += 1;
    progress.inFlight += 1;
    const exchange = await target.send(request, { signal, intendedAt });
    progress.inFlight -= 1;
    return exchange;
  };
  const timeLeft = (): boolean => spec.stopSendingAt === null || monotonicNs() < spec.stopSendingAt;
  const conversationAt = replay === null ? inputs.source?.conversationAt?.bind(inputs.source) : undefined;
  let turnsSent = 0;
  const session: SessionContext = {
    signal,
    recorder,
    thinkTimeMs: inputs.thinkTimeMs,
    fixedOutputLength: inputs.fixedOutputLength,
    count: inputs.count,
    nextRequestIndex: () => turnsSent++ * spec.shardCount + spec.shardIndex,
    timeLeft,
    send,
  };
  /** One arrival's work: a request, or (multi-turn input) a whole session; the position indexes sessions then. */
  const sendOne =
    conversationAt === undefined
      ? async (index: number, intendedAt: number | null): Promise<void> =>
          recorder.record(await send(requestAt(index), intendedAt))
      : (index: number, intendedAt: number | null): Promise<void> =>
          runSession(conversationAt(index), intendedAt, session);

  await waitUntil(spec.startAt, signal);
  if (step.kind === 'closed') {
    let local = 0;
    const nextIndex = (): number | null => {
      const index = local * spec.shardCount + spec.shardIndex;
      if (spec.maxRequests !== null && index >= spec.maxRequests) return null;
      local += 1;
      return index;
    };
    const user = async (): Promise<void> => {
      while (!signal.aborted && timeLeft()) {
        const index = nextIndex();
        if (index === null) return;
        await sendOne(index, null);
      }
    };
    const users = shareOf(step.users, spec.shardIndex, spec.shardCount);
    await Promise.all(Array.from({ length: users }, user));
    return recorder;
  }

  await runOpenLoop({
    arrivals:
      step.kind === 'open'
        ? arrivals(step.arrivals, step.targetRatePerS, step.seed, spec.startAt, spec.shardIndex, spec.shardCount)
        : traceArrivals(replay, spec),
    maxRequests: spec.maxRequests,
    stopSendingAt: spec.stopSendingAt,
    maxInFlight:
      step.maxConcurrency === null ? Infinity : Math.max(1, Math.ceil(step.maxConcurrency / spec.shardCount)),
    signal,
    send: sendOne,
  });
  return recorder;
}
