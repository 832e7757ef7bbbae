import { createServer, type Server } from 'node:http';
import type { Command } from 'commander';
import { Cron } from 'croner';
import { YardstickError, messageOf, usageError } from '../../core/errors.js';
import { ExitCode } from '../../core/exit-codes.js';
import { CanaryMetrics } from '../../canary/canary-metrics.js';
import { answerMetrics } from '../../prometheus/answer-metrics.js';
import { canaryLine, canaryPayload, notifyWebhook } from '../../canary/canary-report.js';
import { runCanaryRound, type CanaryOptions } from '../../canary/canary-round.js';
import { openStore } from '../../store/open-store.js';
import { collect, listenAddress } from '../flags.js';
import type { GlobalOptions } from '../global-options.js';

interface CanaryFlags {
  target?: string;
  schedule?: string;
  webhook?: string;
  listen?: string;
  sample?: string;
  seed: string;
  threshold: string[];
}

function positiveInt(field: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (Number.isInteger(n) && n > 0) return n;
  throw usageError('FLAG_INVALID', `${field} '${text}' is not a positive integer`, `e.g. ${field} 200`);
}

/** The `--listen` address, or a usage error. */
function listenOf(text: string): { host: string; port: number } {
  const listen = listenAddress(text);
  if (listen === null)
    throw usageError('FLAG_INVALID', `--listen '${text}' is not host:port`, 'e.g. --listen 127.0.0.1:9464');
  return listen;
}

async function serveMetrics(metrics: CanaryMetrics, listen: { host: string; port: number }): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('GET /metrics\n');
      return;
    }
    answerMetrics(metrics, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        usageError(
          error.code === 'EADDRINUSE' ? 'PORT_IN_USE' : 'LISTEN_FAILED',
          `cannot listen on ${listen.host}:${listen.port}: ${messageOf(error)}`,
          'choose another --listen, or port 0 for a free one',
        ),
      ),
    );
    server.listen(listen.port, listen.host, () => resolve());
  });
  return server;
}

/** `yardstick canary`: an eval suite run against live targets now, or on a schedule, with trends and alerts. */
export function registerCanary(program: Command, globals: () => GlobalOptions): void {
  program
    .command('canary <suite>')
    .description(
      'run an eval suite against a live target once (for cron or CI) or on a --schedule: store each run, check thresholds, compare with the previous run (paired tests), and tell a webhook and Prometheus',
    )
    .option('--target <name>', "the suite's target to run (name, model or position); default its first")
    .option('--schedule <cron>', "run on this cron schedule until stopped, e.g. '*/15 * * * *' (default: once)")
    .option('--webhook <url>', 'POST each result as JSON to this URL')
    .option('--listen <host:port>', 'serve the results as Prometheus metrics at GET /metrics on this address')
    .option('--sample <n>', 'run this many of the suite’s cases (the same seeded ones every time, so runs pair up)')
    .option('--seed <n>', 'seed of the sample and the intervals', '1')
    .option(
      '--threshold <expr>',
      "pass/fail rule in addition to the suite's, e.g. 'lower(accuracy) >= 0.8'",
      collect,
      [],
    )
    .addHelpText(
      'after',
      `
Examples:
  yardstick canary examples/eval/sentiment.yaml --threshold 'accuracy >= 0.9' --webhook http://127.0.0.1:9000/hook
  yardstick canary suite.yaml --schedule '*/15 * * * *' --sample 100 --listen 127.0.0.1:9464`,
    )
    .action(async (suite: string, flags: CanaryFlags) => {
      const seed = Number(flags.seed);
      if (!Number.isInteger(seed))
        throw usageError('FLAG_INVALID', `--seed '${flags.seed}' is not an integer`, 'e.g. --seed 7');
      const sample = positiveInt('--sample', flags.sample);
      let schedule: Cron | null = null;
      if (flags.schedule !== undefined) {
        try {
          schedule = new Cron(flags.schedule, { paused: true });
        } catch (error) {
          throw usageError(
            'FLAG_INVALID',
            `--schedule '${flags.schedule}' is not a cron expression: ${messageOf(error)}`,
            "write five fields (minute hour day month weekday), e.g. '*/15 * * * *', or six with seconds first",
          );
        }
      }
      const metrics = new CanaryMetrics();
      const listen = flags.listen === undefined ? null : listenOf(flags.listen);
      const server = listen === null ? null : await serveMetrics(metrics, listen);
      const address = server?.address();
      const metricsUrl =
        listen === null || address === undefined || address === null || typeof address === 'string'
          ? null
          : `http://${listen.host}:${address.port}/metrics`;
      const store = openStore(globals().store);
      const options: CanaryOptions = {
        suite,
        store,
        seed,
        thresholds: flags.threshold,
        // A canary asks the live target every time: answers from the response cache would hide what changed.
        cache: false,
        ...(flags.target === undefined ? {} : { target: flags.target }),
        ...(sample === undefined ? {} : { sample }),
      };
      const round = async (): Promise<boolean> => {
        try {
          const result = await runCanaryRound(options);
          metrics.record(result);
          process.stdout.write(`${canaryLine(result)}\n`);
          if (flags.webhook !== undefined) {
            const problem = await notifyWebhook(flags.webhook, canaryPayload(result));
            if (problem !== null) process.stderr.write(`warning: ${problem}\n`);
          }
          return result.passed;
        } catch (error) {
          // A bad suite or flag stops the canary at once; a target that is down is one failed round.
          if (!(error instanceof YardstickError) || error.exitCode === ExitCode.usage || schedule === null) throw error;
          metrics.failedToRun(suite, flags.target ?? '');
          process.stderr.write(`canary could not run: ${error.message}\n`);
          if (flags.webhook !== undefined)
            await notifyWebhook(flags.webhook, {
              kind: 'yardstick-canary',
              suite,
              error: error.message,
              at: new Date().toISOString(),
            });
          return false;
        }
      };
      try {
        if (schedule === null) {
          if (!(await round())) process.exitCode = ExitCode.thresholdsFailed;
          return;
        }
        const every = schedule.getPattern() ?? flags.schedule ?? '';
        schedule.stop();
        const job = new Cron(every, { protect: true }, async () => {
          await round();
        });
        process.stderr.write(
          `canary on '${every}'; next run ${job.nextRun()?.toISOString() ?? 'never'}${metricsUrl === null ? '' : `; metrics at ${metricsUrl}`} (Ctrl-C stops)\n`,
        );
        await new Promise<void>((resolve) => {
          process.once('SIGINT', () => resolve());
          process.once('SIGTERM', () => resolve());
        });
        job.stop();
      } finally {
        server?.close();
        await store.close();
      }
    });
}
