import type { Command } from 'commander';
import { parseDurationMs } from '../../core/units.js';
import { usageError } from '../../core/errors.js';
import { renderTradeoff } from '../../report/console-tradeoff.js';
import { openStore } from '../../store/open-store.js';
import type { StoredRun } from '../../store/run-record.js';
import { tradeoff, type Constraints } from '../../tradeoff/tradeoff.js';
import { printJson } from '../output.js';
import type { GlobalOptions } from '../global-options.js';

interface TradeoffFlags {
  metric?: string;
  minAccuracy?: string;
  maxP95?: string;
  budget?: string;
  prefer?: string;
  serving?: string;
  json?: boolean;
}

function preferOf(text: string | undefined): Constraints['prefer'] {
  if (text === undefined) return null;
  if (text === 'cost' || text === 'latency' || text === 'accuracy') return text;
  throw usageError('FLAG_INVALID', `--prefer '${text}' is not cost, latency or accuracy`, 'e.g. --prefer accuracy');
}

function number(flag: string, text: string | undefined): number | null {
  if (text === undefined) return null;
  const n = text.trim().endsWith('%') ? Number(text.trim().slice(0, -1)) / 100 : Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < 0)
    throw usageError('FLAG_INVALID', `--${flag} '${text}' is not a non-negative number`, `e.g. --${flag} 0.9`);
  return n;
}

/** `yardstick tradeoff RUN_ID…`: the accuracy–latency–cost frontier of eval runs on the same cases, and what to choose. */
export function registerTradeoff(program: Command, globals: () => GlobalOptions): void {
  program
    .command('tradeoff <runs...>')
    .description(
      'Pareto frontier over accuracy, p95 latency and cost per 1,000 requests of eval runs on the same cases, and the target to choose under constraints',
    )
    .option(
      '--metric <name>',
      "the accuracy metric (default 'accuracy' when every run has it, else 'pass_rate'; e.g. mmlu.acc)",
    )
    .option('--min-accuracy <value>', 'the metric must reach this (0.9 or 90%)')
    .option('--max-p95 <duration>', 'p95 end-to-end latency at most this, e.g. 800ms')
    .option('--budget <cost>', 'cost per 1,000 requests at most this (needs target pricing)')
    .option(
      '--prefer <what>',
      'among targets meeting the constraints: cost (cheapest), latency (fastest) or accuracy (default: accuracy without constraints, else cost)',
    )
    .option(
      '--serving <target>',
      'the target serving traffic now: with --min-accuracy, the share of its traffic each cheaper target could take',
    )
    .option('--json', 'print only the JSON result')
    .addHelpText(
      'after',
      `
Examples:
  yardstick tradeoff 20261128-101500-ab12 20261128-103000-cd34 20261128-104500-ef56
  yardstick tradeoff A B C --min-accuracy 0.85 --max-p95 800ms --prefer cost
  yardstick tradeoff A B --serving large-llm --min-accuracy 0.85    # how much traffic can move to the cheaper one`,
    )
    .action(async (runs: string[], flags: TradeoffFlags) => {
      const maxP95 = flags.maxP95 === undefined ? null : parseDurationMs(flags.maxP95);
      if (flags.maxP95 !== undefined && maxP95 === null)
        throw usageError('FLAG_INVALID', `--max-p95 '${flags.maxP95}' is not a duration`, 'e.g. --max-p95 800ms');
      const constraints: Constraints = {
        minAccuracy: number('min-accuracy', flags.minAccuracy),
        maxP95Ms: maxP95,
        budgetPer1k: number('budget', flags.budget),
        prefer: preferOf(flags.prefer),
        serving: flags.serving ?? null,
      };
      const store = openStore(globals().store);
      try {
        const records: StoredRun[] = [];
        for (const id of runs) {
          const record = await store.getRun(id);
          if (record === null)
            throw usageError(
              'RUN_NOT_FOUND',
              `no run with id '${id}' in the store`,
              'list eval runs with `yardstick runs list --kind eval`',
            );
          records.push(record);
        }
        const result = await tradeoff(records, store, flags.metric ?? null, constraints);
        if (flags.json === true) printJson(result);
        else process.stdout.write(`${renderTradeoff(result)}\n`);
      } finally {
        await store.close();
      }
    });
}
