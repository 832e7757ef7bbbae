import { hostname } from 'node:os';
import { Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { monotonicNs } from '../core/clock.js';
import { InProcessShard } from '../load/in-process-shard.js';
import { serializeError, type ShardHost } from '../load/shard-host.js';
import { WorkerShard, workerEntryAvailable } from '../load/worker-shard.js';
import { redisConnection } from './eval-queue.js';
import {
  BENCH_QUEUE,
  channelOf,
  closedKeyOf,
  encodeMessage,
  isShardJob,
  toShardMessage,
  wallClockMs,
  type FromShard,
  type ShardJob,
} from './shard-messages.js';

/**
 * A shard whose coordinator says nothing for this long while no step runs is given up (the coordinator is gone).
 * Long enough for the coordinator to prepare the run's prompts between taking the workers and sending the setup.
 */
const IDLE_LIMIT_MS = 120_000;

/**
 * Serves one shard of a scale-out bench until its coordinator closes it: builds the shard (its own target and
 * inputs, on a load thread when the compiled entry is there), answers clock probes, runs each step it is sent and
 * streams what it measured so far every `windowMs`.
 */
async function serveShard(url: string, job: ShardJob, stopping: AbortSignal, log: (m: string) => void): Promise<void> {
  const subscriber = new Redis(url);
  const publisher = new Redis(url);
  // A message that cannot go out (Redis gone) is dropped: the coordinator gives a silent worker up on its own.
  const publish = (message: FromShard): void =>
    void publisher.publish(channelOf(job.session, 'coordinator'), encodeMessage(message)).catch(() => undefined);
  const built: { host: ShardHost | null } = { host: null };
  let running = false;
  let lastHeard = Date.now();
  try {
    await subscriber.subscribe(channelOf(job.session, job.shard));
    await new Promise<void>((resolve) => {
      const finish = (): void => {
        clearInterval(idle);
        stopping.removeEventListener('abort', onStop);
        resolve();
      };
      const onStop = (): void => {
        built.host?.stop();
        publish({ type: 'failed', shard: job.shard, error: { message: 'the worker was stopped', yardstick: null } });
        finish();
      };
      const idle = setInterval(() => {
        if (!running && Date.now() - lastHeard > IDLE_LIMIT_MS) finish();
      }, 1000);
      stopping.addEventListener('abort', onStop);
      subscriber.on('messageBuffer', (_channel: Buffer, buffer: Buffer) => {
        const message = toShardMessage(buffer);
        if (message === null) return;
        lastHeard = Date.now();
        switch (message.type) {
          case 'setup':
            (workerEntryAvailable() ? WorkerShard.create(message.setup) : InProcessShard.create(message.setup)).then(
              (shard) => {
                built.host = shard;
                publish({ type: 'ready', shard: job.shard });
              },
              (error: unknown) => publish({ type: 'failed', shard: job.shard, error: serializeError(error) }),
            );
            break;
          case 'ping':
            publish({
              type: 'pong',
              shard: job.shard,
              id: message.id,
              monotonicNs: monotonicNs(),
              wallMs: wallClockMs(),
            });
            break;
          case 'run': {
            const shard = built.host;
            if (shard === null) {
              publish({ type: 'failed', shard: job.shard, error: { message: 'run before setup', yardstick: null } });
              break;
            }
            running = true;
            let seq = 0;
            const windows = setInterval(
              () => publish({ type: 'window', shard: job.shard, seq: (seq += 1), snapshot: shard.snapshot() }),
              job.windowMs,
            );
            shard
              .run(message.spec)
              .then(
                (state) => publish({ type: 'done', shard: job.shard, state }),
                (error: unknown) => publish({ type: 'failed', shard: job.shard, error: serializeError(error) }),
              )
              .finally(() => {
                clearInterval(windows);
                running = false;
                lastHeard = Date.now();
              });
            break;
          }
          case 'stop':
            built.host?.stop();
            break;
          case 'close':
            finish();
            break;
        }
      });
      // Read after subscribing: a close sent before the subscription left this mark first.
      publisher.exists(closedKeyOf(job.session)).then(
        (closed) => {
          if (closed > 0) {
            log(`bench ${job.session}: shard ${job.shard + 1} was taken after its run had closed; let go`);
            finish();
            return;
          }
          publish({ type: 'hello', shard: job.shard, worker: `${hostname()}:${process.pid}` });
          log(`bench ${job.session}: serving shard ${job.shard + 1}`);
        },
        () => undefined,
      );
    });
  } finally {
    await built.host?.close();
    subscriber.disconnect();
    // quit, not disconnect: the last messages (a stopped worker's word) go out first.
    await publisher.quit().catch(() => undefined);
  }
}

/** A worker process's hold on the bench queue. */
export interface BenchWorker {
  close(): Promise<void>;
}

/**
 * Takes shards of scale-out bench runs from the queue, one at a time (a process generating two loads at once would
 * measure neither well). A shard's job is not retried: a worker that dies mid-run leaves its share missing, and the
 * coordinator reports it so.
 */
export function startBenchWorker(options: { url: string; onJob: (message: string) => void }): BenchWorker {
  const stopping = new AbortController();
  const worker = new Worker(
    BENCH_QUEUE,
    async (job: Job): Promise<void> => {
      const data: unknown = job.data;
      if (!isShardJob(data)) throw new Error(`job ${job.id ?? '?'} is not a bench shard`);
      await serveShard(options.url, data, stopping.signal, options.onJob);
    },
    { connection: redisConnection(options.url), concurrency: 1, maxStalledCount: 0 },
  );
  worker.on('failed', (job, error) => options.onJob(`job ${job?.id ?? '?'} failed: ${error.message}`));
  return {
    close: async () => {
      stopping.abort();
      await worker.close();
    },
  };
}
