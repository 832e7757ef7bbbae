import { Worker } from 'node:worker_threads';
import type { RecorderState } from '../efficiency/recorder.js';
import type { ShardSpec } from './shard.js';
import type { FromWorker, ShardHost, ShardSetup, ShardSnapshot, ToWorker } from './shard-host.js';

/** A shard on its own worker thread, so the load generator can use more than one core. */
export class WorkerShard implements ShardHost {
  private latest: ShardSnapshot = { sent: 0, inFlight: 0, state: null };
  private pendingRun: { resolve: (state: RecorderState) => void; reject: (error: Error) => void } | null = null;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (message: FromWorker) => {
      if (message.type === 'snapshot') this.latest = message.snapshot;
      if (message.type === 'done') this.pendingRun?.resolve(message.state);
      if (message.type === 'failed') this.pendingRun?.reject(new Error(message.message));
      if (message.type === 'done' || message.type === 'failed') this.pendingRun = null;
    });
    worker.on('error', (error) => this.pendingRun?.reject(error));
  }

  /** Starts a worker thread and waits until its target and inputs are built. */
  static create(setup: ShardSetup): Promise<WorkerShard> {
    const worker = new Worker(new URL('./shard-worker.js', import.meta.url), { workerData: setup });
    return new Promise((resolve, reject) => {
      const onMessage = (message: FromWorker): void => {
        worker.off('message', onMessage);
        if (message.type === 'ready') resolve(new WorkerShard(worker));
        else reject(new Error(message.type === 'failed' ? message.message : `unexpected message ${message.type}`));
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
