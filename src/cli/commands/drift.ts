import type { Command } from 'commander';
import { ExitCode } from '../../core/exit-codes.js';
import { usageError } from '../../core/errors.js';
import { DRIFT_TESTS, type DriftTest } from '../../drift/column-drift.js';
import { DATASET_METHODS, type DatasetMethod } from '../../drift/dataset-verdict.js';
import { parseDriftThreshold } from '../../drift/drift-thresholds.js';
import { runDrift } from '../../drift/run-drift.js';
import { renderDrift } from '../../report/console-drift.js';
import { openStore } from '../../store/open-store.js';
import { collect, numberFlag, typeOverrides } from '../flags.js';
import { printJson } from '../output.js';
import type { GlobalOptions } from '../global-options.js';

interface DriftFlags {
  columns?: string;
  test?: string;
  threshold: string[];
  testThreshold?: string;
  method: string;
  share: string;
  type: string[];
  prediction?: string;
  label?: string;
  failOnDrift?: boolean;
  json?: boolean;
}

/** `yardstick drift REFERENCE CURRENT`: per-column drift tests with effect sizes, and a dataset verdict. */
export function registerDrift(program: Command, globals: () => GlobalOptions): void {
  program
    .command('drift <reference> <current>')
    .description(
      'compare the distribution of every column of CURRENT with REFERENCE (CSV, TSV, JSONL, Parquet): a test per column chosen by type and size, effect sizes beside p-values, and a dataset verdict',
    )
    .option('--columns <list>', 'only these columns, comma-separated')
    .option('--test <test>', `one test for every column: ${DRIFT_TESTS.join(', ')}`)
    .option(
      '--test-threshold <value>',
      "the test's threshold for every column: a p-value (ks, chi2, z) or a distance (the others)",
    )
    .option(
      '--threshold <rule>',
      "a pass/fail rule, e.g. 'drifted_share < 0.3', 'effect(age) < 0.1' (repeatable; failing exits 3); a plain number is --test-threshold",
      collect,
      [],
    )
    .option(
      '--method <method>',
      'dataset verdict: share (of drifted columns), bonferroni, bh (Benjamini–Hochberg)',
      'share',
    )
    .option('--share <fraction>', 'share of drifted columns that makes the dataset drifted (method share)', '0.5')
    .option(
      '--type <column=type>',
      "override a column's inferred type: numeric, categorical, boolean, text, datetime (repeatable)",
      collect,
      [],
    )
    .option('--prediction <column>', "the model's predictions: their drift is prediction drift")
    .option('--label <column>', 'the true labels: their drift is label drift')
    .option('--fail-on-drift', 'exit 3 when the dataset drifted (for monitoring jobs)')
    .option('--json', 'print only the JSON result')
    .addHelpText(
      'after',
      `
Examples:
  yardstick drift train.csv last-week.csv
  yardstick drift reference.parquet today.parquet --columns age,income,country --method bh
  yardstick drift ref.jsonl cur.jsonl --test psi --test-threshold 0.2 --prediction score --fail-on-drift
  yardstick drift ref.csv cur.csv --threshold 'drifted_share < 0.3' --threshold 'effect(income) < 0.2'`,
    )
    .action(async (referencePath: string, currentPath: string, flags: DriftFlags) => {
      if (flags.test !== undefined && !(DRIFT_TESTS as readonly string[]).includes(flags.test))
        throw usageError(
          'FLAG_INVALID',
          `--test '${flags.test}' is not a drift test`,
          `tests: ${DRIFT_TESTS.join(', ')}`,
        );
      if (!(DATASET_METHODS as readonly string[]).includes(flags.method))
        throw usageError('FLAG_INVALID', `--method '${flags.method}' is not one of ${DATASET_METHODS.join(', ')}`);
      // A plain number is the test's threshold (as before --test-threshold existed); anything else is a rule.
      const numbers = flags.threshold.filter((t) => Number.isFinite(Number(t)) && t.trim() !== '');
      const rules = flags.threshold.filter((t) => !numbers.includes(t));
      if (numbers.length > 1 || (numbers.length === 1 && flags.testThreshold !== undefined))
        throw usageError('FLAG_INVALID', 'give one test threshold', 'use --test-threshold once');
      const testThreshold = flags.testThreshold ?? numbers[0];
      const thresholds = rules.map((expr) => {
        const parsed = parseDriftThreshold(expr);
        if (!parsed.ok) throw usageError('FLAG_INVALID', `--threshold: ${parsed.message}`, parsed.hint);
        return parsed.value;
      });
      const store = openStore(globals().store);
      try {
        const result = await runDrift(
          {
            referencePath,
            currentPath,
            columns:
              flags.columns === undefined
                ? null
                : flags.columns
                    .split(',')
                    .map((c) => c.trim())
                    .filter((c) => c !== ''),
            test: (flags.test as DriftTest | undefined) ?? null,
            threshold:
              testThreshold === undefined
                ? null
                : numberFlag(
                    'test-threshold',
                    testThreshold,
                    (n) => n >= 0 && n <= 10,
                    '0.05 (a p-value: ks, chi2, z) or 0.1 (a distance: the others)',
                  ),
            method: flags.method as DatasetMethod,
            shareThreshold: numberFlag('share', flags.share, (n) => n >= 0 && n <= 1, '0.5 (a share from 0 to 1)'),
            types: typeOverrides(flags.type),
            prediction: flags.prediction ?? null,
            label: flags.label ?? null,
            thresholds,
          },
          store,
        );
        if (flags.json === true) printJson(result);
        else process.stdout.write(`${renderDrift(result)}\n`);
        if (flags.failOnDrift === true && result.dataset.drifted) process.exitCode = ExitCode.thresholdsFailed;
        if (result.thresholds.some((t) => !t.pass)) process.exitCode = ExitCode.thresholdsFailed;
      } finally {
        await store.close();
      }
    });
}
