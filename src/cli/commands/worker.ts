import type { Command } from 'commander';
import { parseDurationMs } from '../../core/units.js';
import { usageError } from '../../core/errors.js';
import { openStore, storePath } from '../../store/open-store.js';
import { redactedStoreUrl, redactedUrl } from '../../store/store-url.js';
import { integerFlag } from '../flags.js';
import type { GlobalOptions } from '../global-options.js';

/** `yardstick worker`: takes batches of eval cases and shards of bench loads from a Redis queue and runs them, until Ctrl-C. */
export function registerWorker(program: Command, globals: () => GlobalOptions): void {
  program
    .command('worker')
    .description(
      'take work from a Redis (BullMQ) queue until Ctrl-C: batches of eval cases (sent, scored and saved to the shared store) and shards of bench loads (one at a time, measured here and sent back to the bench that asked)',
    )
    .requiredOption('--queue <redis-url>', 'the Redis the evals enqueue on, e.g. redis://127.0.0.1:6379')
    .option('--concurrency <n>', 'batches worked on at once', '1')
    .option(
      '--lock-duration <duration>',
      "how long a batch stays this worker's without a sign of life; a killed worker's batch goes to another after it",
      '30s',
    )
    .addHelpText(
      'after',
      `
Examples:
  export YARDSTICK_STORE=postgres://me@db/yardstick
  yardstick worker --queue redis://127.0.0.1:6379                 # on each machine, as many as you like
  yardstick eval suite.yaml --queue redis://127.0.0.1:6379        # the same summary as a local run
  yardstick bench -c bench.yaml --queue redis://127.0.0.1:6379 --workers 2   # the load split over two workers`,
    )
    .action(async (flags: { queue: string; concurrency: string; lockDuration: string }) => {
      const concurrency = integerFlag('concurrency', flags.concurrency, 1);
      const lockDurationMs = parseDurationMs(flags.lockDuration);
      if (lockDurationMs === null || lockDurationMs < 1000)
        throw usageError(
          'FLAG_INVALID',
          `--lock-duration '${flags.lockDuration}' is not a duration of 1s or more`,
          'e.g. --lock-duration 30s',
        );
      await (await import('../../queue/queue-reachable.js')).checkQueueReachable(flags.queue);
      const { startEvalWorker } = await import('../../queue/eval-queue.js');
      const { startBenchWorker } = await import('../../queue/bench-worker.js');
      const log = (message: string): void => void process.stderr.write(`${new Date().toISOString()} ${message}\n`);
      const store = openStore(globals().store);
      const worker = startEvalWorker({
        url: flags.queue,
        store,
        concurrency,
        lockDurationMs,
        onJob: log,
      });
      const benchWorker = startBenchWorker({ url: flags.queue, onJob: log });
      process.stderr.write(
        `worker on ${redactedUrl(flags.queue)}, storing to ${redactedStoreUrl(storePath(globals().store))} (Ctrl-C stops)\n`,
      );
      process.stdout.write('ready\n');
      try {
        await new Promise<void>((resolve) => {
          process.once('SIGINT', () => resolve());
          process.once('SIGTERM', () => resolve());
        });
      } finally {
        await Promise.all([worker.close(), benchWorker.close()]);
        await store.close();
      }
    });
}
