import { deserialize, serialize } from 'node:v8';
import { isJsonObject } from '../core/json-object.js';
import type { RecorderState } from '../efficiency/recorder.js';
import type { ShardSpec } from '../load/shard.js';
import type { SerializedError, ShardSetup, ShardSnapshot } from '../load/shard-host.js';

/** The BullMQ queue a scale-out bench's shards are handed out on: one job per shard, taken by one worker each. */
export const BENCH_QUEUE = 'yardstick-bench';

/** A shard job: which run session and which shard. The setup (it may hold an API key) never goes into Redis's keys. */
export interface ShardJob {
  session: string;
  shard: number;
  /** How often the worker sends what its shard has measured so far. */
  windowMs: number;
}

/** Coordinator → worker, on the shard's own channel. */
export type ToShard =
  | { type: 'setup'; setup: ShardSetup }
  | { type: 'ping'; id: number }
  | { type: 'run'; spec: ShardSpec }
  | { type: 'stop' }
  | { type: 'close' };

/** Worker → coordinator, on the session's channel; every message names its shard. */
export type FromShard =
  | { type: 'hello'; shard: number; worker: string }
  | { type: 'ready'; shard: number }
  | { type: 'pong'; shard: number; id: number; monotonicNs: number; wallMs: number }
  | { type: 'window'; shard: number; seq: number; snapshot: ShardSnapshot }
  | { type: 'done'; shard: number; state: RecorderState }
  | { type: 'failed'; shard: number; error: SerializedError };

/** The pub/sub channel of a session's coordinator, or of one of its shards. */
export function channelOf(session: string, shard: number | 'coordinator'): string {
  return `yardstick:bench:${session}:${shard === 'coordinator' ? 'coordinator' : `shard-${shard}`}`;
}

/**
 * Set by a coordinator as it closes its session, before it tells the shards to close: a worker that takes one of the
 * session's jobs late (after the close went out on pub/sub, which keeps nothing) reads it once it has subscribed, and
 * lets the shard go instead of waiting for a coordinator that is gone.
 */
export function closedKeyOf(session: string): string {
  return `yardstick:bench:${session}:closed`;
}

/** How long a closed session's mark stays in Redis: far longer than any worker takes to pick up a job. */
export const CLOSED_MARK_S = 3600;

/**
 * Messages travel in V8's structured-clone format, the one worker threads use, so what a remote shard receives is
 * exactly what a local load thread would (Infinity included, which JSON would turn into null).
 */
export function encodeMessage(message: ToShard | FromShard): Buffer {
  return serialize(message);
}

function decoded(buffer: Buffer): unknown {
  try {
    return deserialize(buffer);
  } catch {
    return null;
  }
}

const isNumber = (value: unknown): value is number => typeof value === 'number';

function isRecorderState(value: unknown): value is RecorderState {
  return isJsonObject(value) && isJsonObject(value.counts) && isJsonObject(value.histograms);
}

function isSnapshot(value: unknown): value is ShardSnapshot {
  return (
    isJsonObject(value) &&
    isNumber(value.sent) &&
    isNumber(value.inFlight) &&
    (value.state === null || isRecorderState(value.state))
  );
}

function isShardSetup(value: unknown): value is ShardSetup {
  return isJsonObject(value) && isJsonObject(value.config) && isNumber(value.maxConnections);
}

function isShardSpec(value: unknown): value is ShardSpec {
  return (
    isJsonObject(value) &&
    isNumber(value.shardIndex) &&
    isNumber(value.shardCount) &&
    isNumber(value.startAt) &&
    isJsonObject(value.step) &&
    Array.isArray(value.slos)
  );
}

function isSerializedError(value: unknown): value is SerializedError {
  return (
    isJsonObject(value) &&
    typeof value.message === 'string' &&
    (value.yardstick === null || isJsonObject(value.yardstick))
  );
}

/** A message for a worker, or null for anything else on its channel. */
export function toShardMessage(buffer: Buffer): ToShard | null {
  const m = decoded(buffer);
  if (!isJsonObject(m)) return null;
  if (m.type === 'setup' && isShardSetup(m.setup)) return { type: 'setup', setup: m.setup };
  if (m.type === 'ping' && isNumber(m.id)) return { type: 'ping', id: m.id };
  if (m.type === 'run' && isShardSpec(m.spec)) return { type: 'run', spec: m.spec };
  if (m.type === 'stop' || m.type === 'close') return { type: m.type };
  return null;
}

/** A message from a worker, or null for anything else on the coordinator's channel. */
export function fromShardMessage(buffer: Buffer): FromShard | null {
  const m = decoded(buffer);
  if (!isJsonObject(m) || !isNumber(m.shard)) return null;
  const shard = m.shard;
  if (m.type === 'hello' && typeof m.worker === 'string') return { type: 'hello', shard, worker: m.worker };
  if (m.type === 'ready') return { type: 'ready', shard };
  if (m.type === 'pong' && isNumber(m.id) && isNumber(m.monotonicNs) && isNumber(m.wallMs))
    return { type: 'pong', shard, id: m.id, monotonicNs: m.monotonicNs, wallMs: m.wallMs };
  if (m.type === 'window' && isNumber(m.seq) && isSnapshot(m.snapshot))
    return { type: 'window', shard, seq: m.seq, snapshot: m.snapshot };
  if (m.type === 'done' && isRecorderState(m.state)) return { type: 'done', shard, state: m.state };
  if (m.type === 'failed' && isSerializedError(m.error)) return { type: 'failed', shard, error: m.error };
  return null;
}

export function isShardJob(value: unknown): value is ShardJob {
  return isJsonObject(value) && typeof value.session === 'string' && isNumber(value.shard) && isNumber(value.windowMs);
}

/** Our wall clock in ms since the epoch, to sub-millisecond precision. */
export function wallClockMs(): number {
  return performance.timeOrigin + performance.now();
}
