import { usageError } from '../core/errors.js';
import { parseDurationMs } from '../core/units.js';
import type { QueueShards } from '../queue/queue-shards.js';
import { numberFlag } from './flags.js';

export interface BenchQueueFlags {
  queue?: string;
  maxClockError?: string;
  workerWait?: string;
  repeats?: string;
}

/**
 * The shards of a `bench --queue` run, each taken by a worker process (waited for here, before anything is
 * recorded); null for a local run.
 */
export async function queueShardsOf(
  flags: BenchQueueFlags,
  workers: number,
  onNotice: (message: string) => void,
): Promise<QueueShards | null> {
  if (flags.queue === undefined) {
    for (const [name, value] of [
      ['max-clock-error', flags.maxClockError],
      ['worker-wait', flags.workerWait],
    ] as const)
      if (value !== undefined)
        throw usageError('FLAG_INVALID', `--${name} applies to a load spread over workers`, 'add --queue redis://…');
    return null;
  }
  if (flags.repeats !== undefined && flags.repeats !== '1')
    throw usageError(
      'FLAG_INVALID',
      '--repeats runs on this machine, not on workers',
      'leave out --repeats or --queue (run the spread-out bench several times instead)',
    );
  const maxClockErrorMs = numberFlag(
    'max-clock-error',
    flags.maxClockError ?? '5',
    (n) => Number.isFinite(n) && n > 0,
    '5',
  );
  const waitForWorkersMs = parseDurationMs(flags.workerWait ?? '30s');
  if (waitForWorkersMs === null || waitForWorkersMs < 1000)
    throw usageError(
      'FLAG_INVALID',
      `--worker-wait '${flags.workerWait ?? ''}' is not a duration of 1s or more`,
      'e.g. --worker-wait 1m',
    );
  await (await import('../queue/queue-reachable.js')).checkQueueReachable(flags.queue);
  const { QueueShards } = await import('../queue/queue-shards.js');
  const shards = new QueueShards({ url: flags.queue, waitForWorkersMs, maxClockErrorMs, windowMs: 1000, onNotice });
  try {
    await shards.gather(workers);
  } catch (error) {
    await shards.close();
    throw error;
  }
  return shards;
}
