import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { RecorderState } from '../efficiency/recorder.js';
import type { ShardSpec } from './shard.js';
import {
  deserializeError,
  type FromWorker,
  type ShardHost,
  type ShardSetup,
  type ShardSnapshot,
  type ToWorker,
} from './shard-host.js';

const WORKER_ENTRY = new URL('./shard-worker.js', import.meta.url);

/**
 * Young-generation ceiling of a load-generating thread. Every request leaves a little garbage, and each young
 * collection pauses the thread; rarer pauses keep an open loop's schedule lag low at thousands of requests per
 * second. Larger is not better without end: at 128 MB a closed loop ran 7% slower than at 16–64 MB (its
 * allocations walk more memory than the caches hold), while 64 MB keeps the open loop's p99 lag under 0.4 ms
 * (docs/benchmarks.md).
 */
const YOUNG_GENERATION_MB = 64;

/** True when the compiled worker entry exists (it does not when running from TypeScript sources, as tests do). */
export function workerEntryAvailable(): boolean {
  return existsSync(fileURLToPath(WORKER_ENTRY));
}

/** A shard on its own worker thread: off the main thread, with a heap tuned for load generation, and more than one core when asked. */
export class WorkerShard implements ShardHost {
  private latest: ShardSnapshot = { sent: 0, inFlight: 0, state: null };
  private pendingRun: { resolve: (state: RecorderState) => void; reject: (error: Error) => void } | null = null;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (message: FromWorker) => {
      if (message.type === 'snapshot') this.latest = message.snapshot;
      if (message.type === 'done') this.pendingRun?.resolve(message.state);
      if (message.type === 'failed') this.pendingRun?.reject(deserializeError(message.error));
      if (message.type === 'done' || message.type === 'failed') this.pendingRun = null;
    });
    worker.on('error', (error) => this.pendingRun?.reject(error));
  }

  /** Starts a worker thread and waits until its target and inputs are built. */
  static create(setup: ShardSetup): Promise<WorkerShard> {
    const worker = new Worker(WORKER_ENTRY, {
      workerData: setup,
      resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
    });
    return new Promise((resolve, reject) => {
      const onMessage = (message: FromWorker): void => {
        worker.off('message', onMessage);
        if (message.type === 'ready') resolve(new WorkerShard(worker));
        else
          reject(
            message.type === 'failed'
              ? deserializeError(message.error)
              : new Error(`unexpected message ${message.type}`),
          );
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
    });
  }

  private post(message: ToWorker): void {
    this.worker.postMessage(message);
  }

  run(spec: ShardSpec): Promise<RecorderState> {
    this.latest = { sent: 0, inFlight: 0, state: null };
    return new Promise((resolve, reject) => {
      this.pendingRun = { resolve, reject };
      this.post({ type: 'run', spec });
    });
  }

  /** The last snapshot the worker sent, and a request for a fresh one. */
  snapshot(): ShardSnapshot {
    this.post({ type: 'snapshot' });
    return this.latest;
  }

  stop(): void {
    this.post({ type: 'stop' });
  }

  async close(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.post({ type: 'close' });
    const timer = setTimeout(() => void this.worker.terminate(), 5000);
    await exited;
    clearTimeout(timer);
  }
}
