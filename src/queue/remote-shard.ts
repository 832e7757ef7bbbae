import { monotonicNs, NS_PER_MS } from '../core/clock.js';
import { MetricsRecorder, type RecorderState } from '../efficiency/recorder.js';
import type { ClockOffset } from '../load/clock-offset.js';
import { deserializeError, type ShardHost, type ShardSnapshot } from '../load/shard-host.js';
import type { ShardSpec } from '../load/shard.js';
import { specOnClock, stateOnOurClock } from '../load/shifted-clock.js';
import type { FromShard, ToShard } from './shard-messages.js';

/**
 * A shard served by a worker process, seen from the coordinator. Instants go out on the worker's clock and come back
 * on ours. The worker streams what it has measured so far every window; a worker silent for `lossAfterMs` while a
 * step runs is given up, its step ending with its last window (what it measured before it fell silent).
 */
export class RemoteShard implements ShardHost {
  private latest: ShardSnapshot = { sent: 0, inFlight: 0, state: null };
  private pending: ((state: RecorderState) => void) | null = null;
  /** The step in progress, while one is. */
  private running: ShardSpec | null = null;
  private heardAtNs = monotonicNs();
  private watchdog: NodeJS.Timeout | null = null;
  lost: string | null = null;

  constructor(
    private readonly send: (message: ToShard) => void,
    readonly worker: string,
    readonly clock: ClockOffset,
    private readonly lossAfterMs: number,
  ) {}

  /** A message from this shard's worker. */
  receive(message: FromShard): void {
    this.heardAtNs = monotonicNs();
    if (message.type === 'window') {
      const { state } = message.snapshot;
      this.latest = { ...message.snapshot, state: state === null ? null : stateOnOurClock(state, this.clock.offsetNs) };
    } else if (message.type === 'done') {
      this.settle(stateOnOurClock(message.state, this.clock.offsetNs));
    } else if (message.type === 'failed' && this.running !== null) {
      // The worker gave up mid-step (stopped, or its shard failed): the step keeps what it measured until then.
      this.lose(`${this.worker} failed: ${deserializeError(message.error).message}`, this.running);
    }
  }

  /** Gives the worker up: its step ends with its last window, and its later steps are empty. */
  private lose(reason: string, spec: ShardSpec): void {
    this.lost = reason;
    this.settle(this.latest.state ?? new MetricsRecorder(spec.window, spec.slos).serialize());
  }

  private settle(state: RecorderState): void {
    const pending = this.pending;
    this.pending = null;
    this.running = null;
    if (this.watchdog !== null) clearInterval(this.watchdog);
    this.watchdog = null;
    pending?.(state);
  }

  run(spec: ShardSpec): Promise<RecorderState> {
    this.latest = { sent: 0, inFlight: 0, state: null };
    if (this.lost !== null) return Promise.resolve(new MetricsRecorder(spec.window, spec.slos).serialize());
    this.heardAtNs = monotonicNs();
    this.running = spec;
    return new Promise((resolve) => {
      this.pending = resolve;
      this.send({ type: 'run', spec: specOnClock(spec, this.clock.offsetNs) });
      this.watchdog = setInterval(() => this.checkAlive(spec), Math.min(1000, this.lossAfterMs / 4));
    });
  }

  private checkAlive(spec: ShardSpec): void {
    const now = monotonicNs();
    if (now - this.heardAtNs <= this.lossAfterMs * NS_PER_MS) return;
    const atS = Math.max(0, (this.heardAtNs - spec.startAt) / 1e9);
    this.lose(
      `no word from ${this.worker} for ${(this.lossAfterMs / 1000).toFixed(0)} s; its share after ${atS.toFixed(1)} s into step ${spec.step.label} is missing`,
      spec,
    );
  }

  snapshot(): ShardSnapshot {
    return this.latest;
  }

  stop(): void {
    this.send({ type: 'stop' });
  }

  close(): Promise<void> {
    this.send({ type: 'close' });
    if (this.watchdog !== null) clearInterval(this.watchdog);
    return Promise.resolve();
  }
}
