import type { BenchConfig } from '../config/schema.js';
import type { RecorderState } from '../efficiency/recorder.js';
import type { ShardSpec } from './shard.js';

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

/** Everything a shard needs to build its own target and inputs. Plain data: it crosses to worker threads. */
export interface ShardSetup {
  config: BenchConfig;
  maxConnections: number;
}

/** Messages between the engine and a worker shard. */
export type ToWorker = { type: 'run'; spec: ShardSpec } | { type: 'stop' } | { type: 'snapshot' } | { type: 'close' };
export type FromWorker =
  | { type: 'ready' }
  | { type: 'snapshot'; snapshot: ShardSnapshot }
  | { type: 'done'; state: RecorderState }
  | { type: 'failed'; message: string };
