import { Queue, QueueEvents, Worker, type Job } from 'bullmq';
import { messageOf, usageError } from '../core/errors.js';
import { isJsonObject } from '../core/json-object.js';
import type { CaseDispatcher, WorkItem } from '../eval/case-dispatch.js';
import { EvalWork, type WorkDone } from '../runs/eval-work.js';
import type { Store } from '../store/store.js';

/** How long a stopped worker waits for its cases in flight before cancelling them. */
const IN_FLIGHT_GRACE_MS = 10_000;

/** The BullMQ queue an eval's batches of cases go through. */
const EVAL_QUEUE = 'yardstick-eval';

/** A batch of one run's cases, as a job carries it. */
interface CasesJob {
  runId: string;
  items: WorkItem[];
}

function isCasesJob(value: unknown): value is CasesJob {
  return (
    isJsonObject(value) &&
    typeof value.runId === 'string' &&
    Array.isArray(value.items) &&
    value.items.every(
      (item: unknown) => isJsonObject(item) && typeof item.caseId === 'string' && typeof item.repeat === 'number',
    )
  );
}

/** BullMQ's connection to the Redis server a `redis://` URL names (workers block on it: no retry limit per command). */
export function redisConnection(url: string): { url: string; maxRetriesPerRequest: null } {
  if (!/^rediss?:\/\//i.test(url))
    throw usageError('FLAG_INVALID', `--queue '${url}' is not a Redis URL`, 'e.g. --queue redis://127.0.0.1:6379');
  return { url, maxRetriesPerRequest: null };
}

/**
 * Hands an eval's cases to workers through a BullMQ queue on Redis: batches of `batchSize` as jobs (each tried up to
 * three times; a job whose worker died is taken over by another once its lock expires), and waits for every job.
 */
export function queueDispatcher(url: string, batchSize: number): CaseDispatcher {
  const connection = redisConnection(url);
  return {
    dispatch: async ({ runId, items, signal, onDone }) => {
      const queue = new Queue(EVAL_QUEUE, { connection });
      const events = new QueueEvents(EVAL_QUEUE, { connection });
      try {
        await events.waitUntilReady();
        const batches: WorkItem[][] = [];
        for (let i = 0; i < items.length; i += batchSize) batches.push(items.slice(i, i + batchSize));
        const jobs = await queue.addBulk(
          batches.map((batch, index) => ({
            name: 'cases',
            data: { runId, items: batch },
            opts: {
              jobId: `${runId}-${index}`,
              attempts: 3,
              backoff: { type: 'exponential', delay: 1000 },
              removeOnComplete: true,
              removeOnFail: 1000,
            },
          })),
        );
        const failed: { items: number; reason: string }[] = [];
        const finished = Promise.all(
          jobs.map(async (job, index) => {
            const size = batches[index]?.length ?? 0;
            try {
              await job.waitUntilFinished(events);
              onDone(size);
            } catch (error) {
              failed.push({ items: size, reason: messageOf(error) });
            }
          }),
        );
        const aborted = new Promise<void>((resolve) => {
          if (signal.aborted) resolve();
          signal.addEventListener('abort', () => resolve(), { once: true });
        });
        await Promise.race([finished, aborted]);
        // Interrupted: the batches no worker has taken are withdrawn; those in hand finish and are kept.
        if (signal.aborted) await queue.drain();
        return { failed };
      } finally {
        await events.close();
        await queue.close();
      }
    },
  };
}

/** A worker process's hold on the queue. */
export interface EvalWorker {
  close(): Promise<void>;
}

/**
 * Takes batches of eval cases from the queue, `concurrency` jobs at a time, and runs each against the target the
 * run's stored settings name, saving the results to the shared store. A job's lock lasts `lockDurationMs` and is
 * renewed while the job runs; a worker killed mid-job stops renewing it, and another worker takes the job over.
 */
export function startEvalWorker(options: {
  url: string;
  store: Store;
  concurrency: number;
  lockDurationMs: number;
  onJob: (message: string) => void;
}): EvalWorker {
  const stopping = new AbortController();
  const cancelling = new AbortController();
  const work = new EvalWork(options.store);
  const worker = new Worker(
    EVAL_QUEUE,
    async (job: Job): Promise<WorkDone> => {
      const data: unknown = job.data;
      if (!isCasesJob(data)) throw new Error(`job ${job.id ?? '?'} is not a batch of eval cases`);
      const done = await work.run(
        data.runId,
        data.items,
        { stopStarting: stopping.signal, cancel: cancelling.signal },
        { triedBefore: job.attemptsStarted > 1 },
      );
      options.onJob(
        `run ${data.runId}: ${done.executed} cases sent${done.alreadyStored > 0 ? `, ${done.alreadyStored} already stored` : ''}`,
      );
      return done;
    },
    {
      connection: redisConnection(options.url),
      concurrency: options.concurrency,
      lockDuration: options.lockDurationMs,
      stalledInterval: Math.max(1000, Math.round(options.lockDurationMs / 2)),
      maxStalledCount: 2,
    },
  );
  worker.on('failed', (job, error) => options.onJob(`job ${job?.id ?? '?'} failed: ${error.message}`));
  return {
    close: async () => {
      // The cases in flight finish and are stored; any still unanswered after the grace period are cancelled.
      stopping.abort();
      const grace = setTimeout(() => cancelling.abort(), IN_FLIGHT_GRACE_MS);
      await worker.close();
      clearTimeout(grace);
      await work.close();
    },
  };
}
