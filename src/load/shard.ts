import type { MeasurementWindow } from '../efficiency/measurement-window.js';
import { MetricsRecorder } from '../efficiency/recorder.js';
import type { Slo } from '../efficiency/slo.js';
import { monotonicNs } from '../core/clock.js';
import type { Target } from '../targets/target.js';
import { arrivals } from './arrivals.js';
import { runOpenLoop } from './open-loop.js';
import type { InputSource } from './inputs/input-source.js';
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

/** Runs one shard of a step to completion (or until the signal aborts) and returns its recorder. */
export async function runShard(
  spec: ShardSpec,
  target: Target,
  inputs: InputSource,
  signal: AbortSignal,
  progress: ShardProgress,
  recorder: MetricsRecorder = new MetricsRecorder(spec.window, spec.slos),
): Promise<MetricsRecorder> {
  const sendOne = async (index: number, intendedAt: number | null): Promise<void> => {
    progress.sent += 1;
    progress.inFlight += 1;
    const exchange = await target.send(inputs.requestAt(index), { signal, intendedAt });
    progress.inFlight -= 1;
    recorder.record(exchange);
  };
  const timeLeft = (): boolean => spec.stopSendingAt === null || monotonicNs() < spec.stopSendingAt;

  await waitUntil(spec.startAt, signal);
  if (spec.step.kind === 'closed') {
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
    const users = shareOf(spec.step.users, spec.shardIndex, spec.shardCount);
    await Promise.all(Array.from({ length: users }, user));
    return recorder;
  }

  const step = spec.step;
  await runOpenLoop({
    arrivals: arrivals(step.arrivals, step.targetRatePerS, step.seed, spec.startAt, spec.shardIndex, spec.shardCount),
    maxRequests: spec.maxRequests,
    stopSendingAt: spec.stopSendingAt,
    maxInFlight:
      step.maxConcurrency === null ? Infinity : Math.max(1, Math.ceil(step.maxConcurrency / spec.shardCount)),
    signal,
    send: sendOne,
  });
  return recorder;
}
