import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { usageError } from '../../core/errors.js';
import { openStore, storePath } from '../../store/open-store.js';
import { redactedStoreUrl } from '../../store/store-url.js';
import { startViewServer } from '../../view/view-server.js';
import { integerFlag } from '../flags.js';
import type { GlobalOptions } from '../global-options.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** `yardstick view`: a local web UI over the store (runs, reports, rating pages) until Ctrl-C. */
export function registerView(program: Command, globals: () => GlobalOptions): void {
  program
    .command('view')
    .description(
      'serve a local web UI over the store: the runs, each run’s report, and rating pages for rating tasks (keyboard-driven); 127.0.0.1 and a free port by default',
    )
    .option('--port <n>', 'the port (0: a free one)', '0')
    .option(
      '--host <address>',
      'the address to bind; beyond loopback, every request needs the token printed at start',
      '127.0.0.1',
    )
    .addHelpText(
      'after',
      `
Examples:
  yardstick view                     # prints http://127.0.0.1:PORT/
  yardstick rate create EVAL_RUN     # then open /rate/TASK_ID in the viewer to rate with the keyboard
  yardstick view --host 0.0.0.0 --port 8400   # prints an address with ?token=…`,
    )
    .action(async (flags: { port: string; host: string }) => {
      const port = integerFlag('port', flags.port, 0, 8400);
      if (port > 65_535) throw usageError('FLAG_INVALID', `--port ${port} is not a port`, 'e.g. --port 8400');
      const store = openStore(globals().store);
      try {
        const token = LOOPBACK.has(flags.host) ? null : randomBytes(18).toString('base64url');
        const server = await startViewServer({ store, host: flags.host, port, token });
        process.stderr.write(
          `viewing ${redactedStoreUrl(storePath(globals().store))} at ${server.url} (Ctrl-C stops)\n`,
        );
        process.stdout.write(`${server.url}\n`);
        await new Promise<void>((resolve) => {
          process.once('SIGINT', () => resolve());
          process.once('SIGTERM', () => resolve());
        });
        await server.close();
      } finally {
        await store.close();
      }
    });
}
