import type { Command } from 'commander';
import type { Average } from '../../accuracy/classification.js';
import { usageError } from '../../core/errors.js';
import { renderMetrics } from '../../report/console-metrics.js';
import { runMetrics } from '../../runs/metrics-run.js';
import { openStore } from '../../store/open-store.js';
import { numberFlag } from '../flags.js';
import { printJson } from '../output.js';
import type { GlobalOptions } from '../global-options.js';

interface MetricsFlags {
  true: string;
  pred?: string;
  score?: string;
  probaPrefix?: string;
  average?: string;
  task?: string;
  posLabel?: string;
  dropMissing?: boolean;
  confidence: string;
  bootstrap: string;
  seed: string;
  json?: boolean;
}

/** `yardstick metrics FILE`: accuracy metrics of a predictions file, with intervals. */
export function registerMetrics(program: Command, globals: () => GlobalOptions): void {
  program
    .command('metrics <file>')
    .description(
      'accuracy metrics of a predictions file (CSV, TSV, JSONL, Parquet) with confidence intervals, as scikit-learn defines them',
    )
    .requiredOption('--true <column>', 'column of true labels or values')
    .option('--pred <column>', 'column of predicted labels or values')
    .option(
      '--score <column>',
      'column of binary scores or positive-class probabilities (roc_auc, average_precision, log_loss, brier)',
    )
    .option(
      '--proba-prefix <prefix>',
      'per-class probability columns named <prefix><label> (multiclass ROC AUC, top-k accuracy); without --pred the most probable class is the prediction',
    )
    .option(
      '--average <average>',
      'average of the headline precision/recall/f1: binary | micro | macro | weighted (default: binary for two classes)',
    )
    .option('--task <task>', 'classification | regression (detected when omitted, and said so)')
    .option('--pos-label <label>', 'positive class for binary metrics (default: the greater label)')
    .option('--drop-missing', 'leave out rows with missing values instead of failing')
    .option('--confidence <level>', 'interval confidence level', '0.95')
    .option('--bootstrap <n>', 'bootstrap resamples for intervals (0: none)', '1000')
    .option('--seed <n>', 'bootstrap seed', '1')
    .option('--json', 'print only the JSON summary')
    .addHelpText(
      'after',
      `
Examples:
  yardstick metrics preds.csv --true label --pred predicted
  yardstick metrics preds.jsonl --true label --pred predicted --score p_positive --pos-label spam --json
  yardstick metrics house-prices.csv --true price --pred estimate --task regression
  yardstick metrics topics.parquet --true topic --proba-prefix p_ --average macro`,
    )
    .action(async (file: string, flags: MetricsFlags) => {
      if (flags.task !== undefined && flags.task !== 'classification' && flags.task !== 'regression') {
        throw usageError('FLAG_INVALID', `--task '${flags.task}' is not a task`, 'use classification or regression');
      }
      if (flags.average !== undefined && !['binary', 'micro', 'macro', 'weighted'].includes(flags.average)) {
        throw usageError(
          'FLAG_INVALID',
          `--average '${flags.average}' is not an average`,
          'use binary, micro, macro or weighted',
        );
      }
      const confidence = numberFlag('confidence', flags.confidence, (n) => n > 0 && n < 1, '0.95');
      const resamples = numberFlag(
        'bootstrap',
        flags.bootstrap,
        (n) => Number.isInteger(n) && n >= 0 && n <= 100_000,
        '1000',
      );
      const seed = numberFlag('seed', flags.seed, Number.isInteger, '1');
      const store = openStore(globals().store);
      try {
        const summary = await runMetrics({
          path: file,
          trueColumn: flags.true,
          predColumn: flags.pred ?? null,
          scoreColumn: flags.score ?? null,
          probaPrefix: flags.probaPrefix ?? null,
          average: (flags.average as Average | undefined) ?? null,
          task: flags.task ?? null,
          posLabel: flags.posLabel ?? null,
          dropMissing: flags.dropMissing === true,
          intervals: { confidence, resamples, seed },
          store,
        });
        if (flags.json === true) printJson(summary);
        else process.stdout.write(`${renderMetrics(summary)}\n`);
      } finally {
        await store.close();
      }
    });
}
