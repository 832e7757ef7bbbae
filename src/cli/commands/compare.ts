import type { Command } from 'commander';
import { usageError } from '../../core/errors.js';
import { compareRuns, type RunCases } from '../../eval/compare.js';
import { storedRunCases } from '../../eval/stored-eval.js';
import { renderCompare } from '../../report/console-compare.js';
import { openStore } from '../../store/open-store.js';
import type { Store } from '../../store/store.js';
import { printJson } from '../output.js';
import type { GlobalOptions } from '../global-options.js';

function runCases(store: Store, id: string): RunCases {
  const record = store.getRun(id);
  if (record === null)
    throw usageError(
      'RUN_NOT_FOUND',
      `no run with id '${id}' in the store`,
      'list eval runs with `yardstick runs list --kind eval`',
    );
  return storedRunCases(store, record, 'compare');
}

/** `yardstick compare A B`: paired comparison of two eval runs on the same cases. */
export function registerCompare(program: Command, globals: () => GlobalOptions): void {
  program
    .command('compare <a> <b>')
    .description(
      'compare two eval runs case by case: differences with intervals, paired tests (McNemar, paired bootstrap) Holm-corrected, latency, flipped cases',
    )
    .option('--intersect', 'compare only the cases both runs have, instead of refusing runs whose cases differ')
    .option('--alpha <p>', 'significance level', '0.05')
    .option('--resamples <n>', 'bootstrap resamples', '2000')
    .option('--seed <n>', 'bootstrap seed', '1')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExample:\n  yardstick compare 20261128-101500-ab12 20261128-103000-cd34')
    .action(
      (
        a: string,
        b: string,
        flags: { intersect?: boolean; alpha: string; resamples: string; seed: string; json?: boolean },
      ) => {
        const alpha = Number(flags.alpha);
        if (!(alpha > 0 && alpha < 1))
          throw usageError('FLAG_INVALID', `--alpha '${flags.alpha}' is not between 0 and 1`, 'e.g. --alpha 0.05');
        const resamples = Number(flags.resamples);
        if (!Number.isInteger(resamples) || resamples < 100)
          throw usageError(
            'FLAG_INVALID',
            `--resamples '${flags.resamples}' must be an integer of at least 100`,
            'e.g. --resamples 2000',
          );
        const store = openStore(globals().store);
        try {
          const result = compareRuns(runCases(store, a), runCases(store, b), {
            intersect: flags.intersect === true,
            alpha,
            resamples,
            seed: Number(flags.seed),
          });
          if (flags.json === true) printJson(result);
          else process.stdout.write(`${renderCompare(result)}\n`);
        } finally {
          store.close();
        }
      },
    );
}
