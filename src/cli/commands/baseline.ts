import type { Command } from 'commander';
import { usageError } from '../../core/errors.js';
import { ExitCode } from '../../core/exit-codes.js';
import { TABULAR_FAMILIES, TEXT_FAMILIES, type ModelFamily } from '../../models/classifier.js';
import { renderBaseline } from '../../report/console-baseline.js';
import { evalProgressLine } from '../../report/console-eval.js';
import { ProgressLine } from '../../report/progress.js';
import { FAMILY_NAMES, runBaseline } from '../../runs/baseline-run.js';
import { openStore } from '../../store/open-store.js';
import { abortOnInterrupt } from '../interrupt.js';
import { collect, integerFlag } from '../flags.js';
import { printJson } from '../output.js';
import type { GlobalOptions } from '../global-options.js';

interface BaselineFlags {
  data?: string;
  label?: string;
  text?: string;
  features?: string;
  id?: string;
  models?: string;
  testSize: string;
  validationSize: string;
  seed: string;
  out: string;
  compare: string[];
  concurrency: string;
  serve?: boolean;
  port: string;
  json?: boolean;
}

function share(flag: string, text: string): number {
  const value = text.trim().endsWith('%') ? Number(text.trim().slice(0, -1)) / 100 : Number(text);
  if (!(value > 0 && value < 1))
    throw usageError(
      'FLAG_INVALID',
      `--${flag} '${text}' is not a share between 0 and 1`,
      `e.g. --${flag} 0.2 or --${flag} 20%`,
    );
  return value;
}

function families(list: string | undefined, text: boolean): ModelFamily[] {
  const allowed = text ? TEXT_FAMILIES : TABULAR_FAMILIES;
  if (list === undefined) return [...allowed];
  const byName = new Map(allowed.flatMap((f) => [[f, f] as const, [FAMILY_NAMES[f], f] as const]));
  return list.split(',').map((name) => {
    const family = byName.get(name.trim());
    if (family === undefined)
      throw usageError(
        'FLAG_INVALID',
        `--models: '${name}' is not a ${text ? 'text' : 'tabular'} model`,
        `${text ? 'text' : 'tabular'} models: ${allowed.map((f) => FAMILY_NAMES[f]).join(', ')}`,
      );
    return family;
  });
}

/** `yardstick baseline`: is a simple model good enough? Trains them on the user's labelled data and scores them held out. */
export function registerBaseline(program: Command, globals: () => GlobalOptions): void {
  program
    .command('baseline')
    .description(
      'train simple models (naive Bayes, logistic regression, k-NN for text; random forest, logistic regression, k-NN for features) on labelled data, score them on a held-out split with intervals and latency, and compare them with an LLM on the same cases',
    )
    .option('--data <file>', 'labelled data: CSV, TSV, JSONL or Parquet')
    .option('--label <column>', 'the column holding the class')
    .option('--text <column>', 'the text column (text models)')
    .option('--features <columns>', 'numeric feature columns, comma-separated (tabular models)')
    .option('--id <column>', "a column of unique row ids (default 'id' when present, else the line)")
    .option(
      '--models <list>',
      'which models, comma-separated: nb, logreg, knn (text); forest, logreg, knn (features); default all',
    )
    .option('--test-size <share>', 'share of rows held out for the test', '0.2')
    .option('--validation-size <share>', 'share of rows for choosing settings (k of k-NN)', '0.2')
    .option('--seed <n>', 'seed of the split and the models', '1')
    .option('--out <dir>', 'where to write the test split (test.jsonl) and an LLM suite on it', '.yardstick/baseline')
    .option(
      '--compare <runId>',
      'an eval run of another target on the written test split, to weigh against the baselines (repeatable)',
      collect,
      [],
    )
    .option('--concurrency <n>', 'requests in flight while scoring', '4')
    .option('--serve', 'keep serving the trained models afterwards (OpenAI-compatible, until Ctrl-C)')
    .option('--port <n>', 'with --serve: the port (0 picks a free one)', '0')
    .option('--json', 'print only the JSON summary')
    .addHelpText(
      'after',
      `
Examples:
  yardstick baseline --data tickets.csv --label priority --text body
  yardstick baseline --data patients.parquet --label outcome --features age,bmi,glucose --models forest,logreg
  yardstick eval .yardstick/baseline/llm-suite.yaml            # your LLM on the same held-out cases
  yardstick baseline --data tickets.csv --label priority --text body --compare <that eval run id>`,
    )
    .action(async (flags: BaselineFlags) => {
      if (flags.data === undefined || flags.label === undefined)
        throw usageError(
          'FLAG_INVALID',
          'give --data FILE and --label COLUMN',
          'e.g. yardstick baseline --data tickets.csv --label priority --text body',
        );
      if ((flags.text === undefined) === (flags.features === undefined))
        throw usageError(
          'FLAG_INVALID',
          'give exactly one of --text COLUMN or --features A,B,…',
          'text models read one text column; tabular models read numeric feature columns',
        );
      const features =
        flags.features === undefined
          ? []
          : flags.features
              .split(',')
              .map((f) => f.trim())
              .filter((f) => f !== '');
      const test = share('test-size', flags.testSize);
      const validation = share('validation-size', flags.validationSize);
      if (test + validation >= 1)
        throw usageError(
          'FLAG_INVALID',
          `--test-size and --validation-size leave nothing to train on (${test} + ${validation} ≥ 1)`,
          'e.g. --test-size 0.2 --validation-size 0.2',
        );
      const store = openStore(globals().store);
      const quiet = flags.json === true;
      const progress = new ProgressLine(process.stderr);
      const interrupt = abortOnInterrupt(() => progress.clear());
      try {
        const { summary, server } = await runBaseline({
          dataPath: flags.data,
          columns: { label: flags.label, text: flags.text ?? null, features, id: flags.id ?? null },
          families: families(flags.models, flags.text !== undefined),
          split: { test, validation },
          seed: integerFlag('seed', flags.seed, 0),
          outDir: flags.out,
          compare: flags.compare,
          concurrency: integerFlag('concurrency', flags.concurrency, 1),
          port: integerFlag('port', flags.port, 0),
          store,
          signal: interrupt.signal,
          onLine: (text) => {
            progress.clear();
            if (!quiet) process.stderr.write(`${text}\n`);
          },
          onEvalProgress: !quiet && progress.enabled ? (p) => progress.update(evalProgressLine(p)) : undefined,
        });
        progress.clear();
        if (quiet) printJson(summary);
        else process.stdout.write(`${renderBaseline(summary)}\n`);
        if (flags.serve === true && !interrupt.signal.aborted) {
          process.stderr.write(`serving ${server.models.join(', ')} at ${server.baseUrl} (Ctrl-C stops)\n`);
          await new Promise<void>((resolve) =>
            interrupt.signal.addEventListener('abort', () => resolve(), { once: true }),
          );
        } else if (interrupt.signal.aborted) process.exitCode = ExitCode.interrupted;
        await server.stop();
      } finally {
        interrupt.dispose();
        await store.close();
      }
    });
}
