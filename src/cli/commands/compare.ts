import type { Command } from 'commander';
import { usageError } from '../../core/errors.js';
import { compareRuns, type RunCases } from '../../eval/compare.js';
import { storedRunCases } from '../../eval/stored-eval.js';
import type { BenchJson } from '../../efficiency/bench-json.js';
import { compareBenchRuns } from '../../efficiency/bench-comparison.js';
import { benchRepeatsRunOf, type BenchRepeatsJson } from '../../efficiency/bench-repeats.js';
import { compareRepeatedRuns } from '../../efficiency/repeats-comparison.js';
import { benchRunOf } from '../../efficiency/stored-bench.js';
import { renderBenchCompare, renderRepeatsCompare } from '../../report/console-bench-compare.js';
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

/** Two bench runs, or two repeated benches, when both runs are one of those kinds; null when neither is a bench. */
type BenchPair =
  { kind: 'bench'; runs: [BenchJson, BenchJson] } | { kind: 'repeats'; runs: [BenchRepeatsJson, BenchRepeatsJson] };

function benchPair(store: Store, a: string, b: string): BenchPair | null {
  const records = [a, b].map((id) => {
    const record = store.getRun(id);
    if (record === null)
      throw usageError('RUN_NOT_FOUND', `no run with id '${id}' in the store`, 'list runs with `yardstick runs list`');
    return record;
  });
  const [first, second] = records.map((record) => benchRunOf(record)?.summary ?? null);
  if (first !== null && first !== undefined && second !== null && second !== undefined)
    return { kind: 'bench', runs: [first, second] };
  const [firstRepeats, secondRepeats] = records.map((record) => benchRepeatsRunOf(record)?.summary ?? null);
  if (firstRepeats !== null && firstRepeats !== undefined && secondRepeats !== null && secondRepeats !== undefined)
    return { kind: 'repeats', runs: [firstRepeats, secondRepeats] };
  const benchKinds = ['bench', 'bench-repeats'];
  if (records.some((record) => benchKinds.includes(record.kind)))
    throw usageError(
      'RUN_KIND_MISMATCH',
      `${a} and ${b} are not runs of the same kind (${records.map((r) => r.kind).join(' and ')})`,
      'compare two eval runs, two bench runs, or two repeated benches (bench --repeats)',
    );
  return null;
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
          const bench = benchPair(store, a, b);
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
