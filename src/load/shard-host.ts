import type { BenchConfig } from './bench-config-schema.js';
import { messageOf, YardstickError, type YardstickErrorInit } from '../core/errors.js';
import type { RecorderState } from '../efficiency/recorder.js';
import type { PreparedPrompts } from './inputs/synthetic.js';
import type { ShardSpec } from './shard.js';
import type { ClockOffset } from './clock-offset.js';
import type { TraceVocabulary } from './trace/trace-prompts.js';

/** What a shard reports while it runs. */
export interface ShardSnapshot {
  sent: number;
  inFlight: number;
  state: RecorderState | null;
}

/** One thread's share of the load: in this thread or in a worker thread, behind one interface. */
export interface ShardHost {
  run(spec: ShardSpec): Promise<RecorderState>;
  snapshot(): ShardSnapshot;
  /** Aborts the step in progress: in-flight requests end as cancelled. */
  stop(): void;
  close(): Promise<void>;
}

/** Starts the hosts of a run's shards somewhere other than this process's threads (other processes, other machines). */
export interface ShardHostFactory {
  create(setup: ShardSetup, count: number): Promise<ShardHost[]>;
  /** How long after a step is planned its shards start: long enough for the start instant to reach every host. */
  readonly startDelayMs: number;
  /** Where the hosts were found, for the record (a URL without its password). */
  readonly origin: string;
  /** Each host created, in order: where it ran, how its clock relates to ours, and whether it was lost. */
  hostsInfo(): RemoteHostInfo[];
}

/** A shard host in another process. */
export interface RemoteHostInfo {
  /** `hostname:pid` of the process that ran the shard. */
  worker: string;
  clock: ClockOffset;
  /** Why the host was given up mid-run (its share from then on is missing); null when it ran to the end. */
  lost: string | null;
}

/** Everything a shard needs to build its own target and inputs. Plain data: it crosses to worker threads. */
export interface ShardSetup {
  config: BenchConfig;
  maxConnections: number;
  /** The run's synthetic prompts, prepared once for every shard; null for prompts from a file. */
  prompts: PreparedPrompts | null;
  /** A trace replay's vocabulary of one-token words, prepared once; null for other profiles. */
  traceVocabulary: TraceVocabulary | null;
}

/** Messages between the engine and a worker shard. */
export type ToWorker = { type: 'run'; spec: ShardSpec } | { type: 'stop' } | { type: 'snapshot' } | { type: 'close' };
export type FromWorker =
  | { type: 'ready' }
  | { type: 'snapshot'; snapshot: ShardSnapshot }
  | { type: 'done'; state: RecorderState }
  | { type: 'failed'; error: SerializedError };

/** An error as it crosses from a worker thread: a YardstickError keeps its code, hint, exit code and problems. */
export interface SerializedError {
  message: string;
  yardstick: Omit<YardstickErrorInit, 'cause'> | null;
}

/** Flattens an error for postMessage. */
export function serializeError(error: unknown): SerializedError {
  if (error instanceof YardstickError) {
    return {
      message: error.message,
      yardstick: {
        code: error.code,
        message: error.message,
        hint: error.hint,
        exitCode: error.exitCode,
        problems: error.problems,
      },
    };
  }
  return { message: messageOf(error), yardstick: null };
}

/** Rebuilds an error posted by a worker thread. */
export function deserializeError(error: SerializedError): Error {
  return error.yardstick === null ? new Error(error.message) : new YardstickError(error.yardstick);
}
