import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import type { GlobalOptions } from '../global-options.js';
import { executeRunConfig } from './run.js';

const DEMO_CONFIG = fileURLToPath(new URL('../../../examples/demo/yardstick.yaml', import.meta.url));

/** `yardstick demo`: the main job, offline, on the embedded reference models (the bundled run config). */
export function registerDemo(program: Command, globals: () => GlobalOptions): void {
  program
    .command('demo')
    .description(
      'run the offline demo: train three spam filters of different sizes and an iris classifier, serve them locally, measure their accuracy on held-out data, their repeatability and their latency under load, and the tradeoff between them',
    )
    .option('--json', 'print only the profile summary as JSON')
    .action(async (flags: { json?: boolean }) => {
      const summary = await executeRunConfig(DEMO_CONFIG, flags, globals(), (line) => {
        line(`demo: the run config ${DEMO_CONFIG}`);
        line(
          'training the reference models on their train splits (SpamAssassin corpus, iris), then serving them on 127.0.0.1…',
        );
      });
      if (flags.json !== true) {
        process.stdout.write(
          `\nstored as profile run ${summary.runId}: \`yardstick runs show ${summary.runId}\`; each run above: \`yardstick runs show ID\`\n`,
        );
      }
    });
}
