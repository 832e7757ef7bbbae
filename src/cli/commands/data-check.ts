import { parseDataCheckThreshold } from '../../quality/data-check-thresholds.js';
import type { Command } from 'commander';
import { ExitCode } from '../../core/exit-codes.js';
import { usageError } from '../../core/errors.js';
import { parseExpectation } from '../../quality/expect-checks.js';
import { runDataCheck } from '../../quality/run-data-check.js';
import { renderDataCheck } from '../../report/console-data-check.js';
import { openStore } from '../../store/open-store.js';
import { collect, typeOverrides } from '../flags.js';
import { printJson } from '../output.js';
import type { GlobalOptions } from '../global-options.js';

interface DataCheckFlags {
  label?: string;
  split?: string;
  train?: string;
  test?: string;
  validation?: string;
  type: string[];
  expect: string[];
  failOn?: string;
  threshold: string[];
  json?: boolean;
}

/** `yardstick data check`: data quality findings that matter for accuracy, each with what to do. */
export function registerDataCheck(program: Command, globals: () => GlobalOptions): void {
  const data = program.command('data').description('data quality: `data check`');
  data
    .command('check [file]')
    .description(
      'check a data file (CSV, TSV, JSONL, Parquet), or its splits, for what distorts accuracy: missing values, constant and identifier columns, outliers, duplicates, conflicting labels, class imbalance, leakage and drift between splits, unrepresentative subgroups',
    )
    .option('--label <column>', 'the label column: conflicting labels, class balance, label drift between splits')
    .option('--split <column>', "a column naming each row's split (train, test, …)")
    .option('--train <file>', 'the training split, as its own file (with --test)')
    .option('--test <file>', 'the test split')
    .option('--validation <file>', 'the validation split')
    .option(
      '--type <column=type>',
      "override a column's inferred type: numeric, categorical, boolean, text, datetime (repeatable)",
      collect,
      [],
    )
    .option(
      '--expect <spec>',
      "declared subgroup shares, e.g. 'region=EU:0.4,US:0.35' (repeatable): chi-square goodness of fit, and groups too small to evaluate",
      collect,
      [],
    )
    .option('--fail-on <severity>', 'exit 3 when a finding is at least this severe: error or warning')
    .option(
      '--threshold <rule>',
      "a pass/fail rule on the findings, e.g. 'errors < 1', 'warnings <= 3', 'findings(duplicates) < 1' (repeatable; failing exits 3)",
      collect,
      [],
    )
    .option('--json', 'print only the JSON result')
    .addHelpText(
      'after',
      `
Examples:
  yardstick data check tickets.csv --label priority
  yardstick data check all.parquet --label y --split fold --expect 'country=DE:0.5,FR:0.3'
  yardstick data check --train train.jsonl --test test.jsonl --label label --fail-on error
  yardstick data check data.csv --threshold 'errors < 1' --threshold 'findings(outliers) <= 2'`,
    )
    .action(async (file: string | undefined, flags: DataCheckFlags) => {
      const splitFiles = [
        ['train', flags.train],
        ['validation', flags.validation],
        ['test', flags.test],
      ].filter((pair): pair is [string, string] => pair[1] !== undefined);
      if (file !== undefined && splitFiles.length > 0)
        throw usageError(
          'FLAG_INVALID',
          'give one file, or --train/--test files, not both',
          'e.g. yardstick data check --train a.csv --test b.csv',
        );
      if (file === undefined && (flags.train === undefined || flags.test === undefined))
        throw usageError(
          'FLAG_INVALID',
          'give a file, or both --train and --test',
          'e.g. yardstick data check data.csv --label y',
        );
      if (flags.split !== undefined && file === undefined)
        throw usageError(
          'FLAG_INVALID',
          '--split needs a file whose column it names',
          'e.g. yardstick data check data.csv --split fold',
        );
      if (flags.failOn !== undefined && flags.failOn !== 'error' && flags.failOn !== 'warning')
        throw usageError('FLAG_INVALID', `--fail-on '${flags.failOn}' is not error or warning`);
      const thresholds = flags.threshold.map((expr) => {
        const parsed = parseDataCheckThreshold(expr);
        if (!parsed.ok) throw usageError('FLAG_INVALID', `--threshold: ${parsed.message}`, parsed.hint);
        return parsed.value;
      });
      const store = openStore(globals().store);
      try {
        const result = await runDataCheck(
          {
            file: file ?? null,
            splitFiles: splitFiles.map(([name, path]) => ({ name, path })),
            split: flags.split ?? null,
            label: flags.label ?? null,
            types: typeOverrides(flags.type),
            expectations: flags.expect.map(parseExpectation),
            thresholds,
          },
          store,
        );
        if (flags.json === true) printJson(result);
        else process.stdout.write(`${renderDataCheck(result)}\n`);
        const failing =
          flags.failOn === 'error'
            ? result.counts.error
            : flags.failOn === 'warning'
              ? result.counts.error + result.counts.warning
              : 0;
        if (failing > 0 || result.thresholds.some((t) => !t.pass)) process.exitCode = ExitCode.thresholdsFailed;
      } finally {
        await store.close();
      }
    });
}
