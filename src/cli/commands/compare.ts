import type { Command } from 'commander';
import { usageError } from '../../core/errors.js';
import { compareRuns, type RunCases } from '../../eval/compare.js';
import { storedRunCases } from '../../eval/stored-eval.js';
import { compareBenchRuns } from '../../efficiency/bench-comparison.js';
import { compareRepeatedRuns } from '../../efficiency/repeats-comparison.js';
import { benchPair } from '../../runs/bench-pair.js';
import { renderBenchCompare, renderRepeatsCompare } from '../../report/console-bench-compare.js';
import { renderCompare } from '../../report/console-compare.js';
import { openStore } from '../../store/open-store.js';
import type { Store } from '../../store/store.js';
import { printJson } from '../output.js';
import type { GlobalOptions } from '../global-options.js';

async function runCases(store: Store, id: string): Promise<RunCases> {
  const record = await store.getRun(id);
  if (record === null)
    throw usageError(
      'RUN_NOT_FOUND',
      `no run with id '${id}' in the store`,
      'list eval runs with `yardstick runs list --kind eval`',
    );
  return await storedRunCases(store, record, 'compare');
}

/** `yardstick compare A B`: paired comparison of two eval runs on the same cases, or of two bench runs' latencies. */
export function registerCompare(program: Command, globals: () => GlobalOptions): void {
  program
    .command('compare <a> <b>')
    .description(
      'compare two eval runs case by case (differences with intervals, paired tests Holm-corrected, latency, flipped cases), or two bench runs metric by metric (latency percentiles with bootstrap intervals over requests, Holm-corrected)',
    )
    .option('--intersect', 'compare only the cases both runs have, instead of refusing runs whose cases differ')
    .option('--alpha <p>', 'significance level', '0.05')
    .option('--resamples <n>', 'bootstrap resamples', '2000')
    .option('--seed <n>', 'bootstrap seed', '1')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  yardstick compare 20261128-101500-ab12 20261128-103000-cd34        # two eval runs or two bench runs\n  yardstick compare BENCH_A BENCH_B --json',
    )
    .action(
      async (
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
          const bench = await benchPair(store, a, b);
          if (bench?.kind === 'bench') {
            const [runA, runB] = bench.runs;
            const compared = compareBenchRuns(runA, runB, { alpha, resamples, seed: Number(flags.seed) });
            if (flags.json === true) printJson(compared);
            else process.stdout.write(`${renderBenchCompare(compared)}\n`);
            return;
          }
          if (bench?.kind === 'repeats') {
            const compared = compareRepeatedRuns(bench.runs[0], bench.runs[1], alpha);
            if (flags.json === true) printJson(compared);
            else process.stdout.write(`${renderRepeatsCompare(compared)}\n`);
            return;
          }
          const result = compareRuns(await runCases(store, a), await runCases(store, b), {
            intersect: flags.intersect === true,
            alpha,
            resamples,
            seed: Number(flags.seed),
          });
          if (flags.json === true) printJson(result);
          else process.stdout.write(`${renderCompare(result)}\n`);
        } finally {
          await store.close();
        }
      },
    );
}
