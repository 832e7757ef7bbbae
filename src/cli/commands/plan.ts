import type { Command } from 'commander';
import { usageError } from '../../core/errors.js';
import { parseFraction } from '../../core/units.js';
import { parseThreshold, type Threshold } from '../../efficiency/thresholds.js';
import { benchRunOf } from '../../efficiency/stored-bench.js';
import { renderPlan } from '../../report/console-plan.js';
import { openStore } from '../../store/open-store.js';
import { capacityPlan } from '../../tradeoff/capacity-plan.js';
import { collect } from '../flags.js';
import { printJson } from '../output.js';
import type { GlobalOptions } from '../global-options.js';

interface PlanFlags {
  slo: string[];
  load?: string;
  headroom: string;
  json?: boolean;
}

function loadRate(text: string): number {
  const n = Number(text.trim().replace(/\/s$/, ''));
  if (!(n > 0)) throw usageError('FLAG_INVALID', `--load '${text}' is not a rate`, 'e.g. --load 200/s');
  return n;
}

/** `yardstick plan`: the rate one replica sustains under an SLO, from a sweep, and the replicas a load needs. */
export function registerPlan(program: Command, globals: () => GlobalOptions): void {
  program
    .command('plan <run>')
    .description(
      'capacity planning from a bench sweep: the highest rate that met every SLO, the saturation knee, and the replicas a target load needs with headroom',
    )
    .option(
      '--slo <expr>',
      "a rule each step must meet, e.g. 'p95(ttft) < 500ms', 'error_rate < 1%' (repeatable; default error_rate < 1%)",
      collect,
      [],
    )
    .option('--load <rate>', 'the load to plan for, e.g. 200/s')
    .option('--headroom <share>', 'spare capacity on top of the load', '30%')
    .option('--json', 'print only the JSON plan')
    .addHelpText(
      'after',
      "\nExample:\n  yardstick plan 20261128-045720-d81e --slo 'p95(e2e) < 50ms' --slo 'error_rate < 1%' --load 200/s --headroom 30%",
    )
    .action(async (runId: string, flags: PlanFlags) => {
      const slo: Threshold[] = (flags.slo.length === 0 ? ['error_rate < 1%'] : flags.slo).map((expr) => {
        const parsed = parseThreshold(expr);
        if (!parsed.ok) throw usageError('FLAG_INVALID', `--slo: ${parsed.message}`, parsed.hint);
        return parsed.value;
      });
      const headroom = parseFraction(flags.headroom) ?? Number(flags.headroom);
      if (!(headroom >= 0 && Number.isFinite(headroom)))
        throw usageError('FLAG_INVALID', `--headroom '${flags.headroom}' is not a share`, 'e.g. --headroom 30%');
      const store = openStore(globals().store);
      try {
        const record = await store.getRun(runId);
        if (record === null)
          throw usageError(
            'RUN_NOT_FOUND',
            `no run with id '${runId}' in the store`,
            'list sweeps with `yardstick runs list --kind bench`',
          );
        const summary = benchRunOf(record)?.summary ?? null;
        if (summary === null || summary.steps.length < 2)
          throw usageError(
            'RUN_KIND',
            `run ${record.id} is not a sweep (${record.kind}${summary === null ? ', no summary' : `, ${summary.steps.length} step${summary.steps.length === 1 ? '' : 's'}`})`,
            'plan from a bench run with profile: sweep (yardstick bench --profile sweep …)',
          );
        const plan = capacityPlan(
          summary,
          slo,
          flags.load === undefined ? null : { perS: loadRate(flags.load), headroom },
        );
        if (flags.json === true) printJson(plan);
        else process.stdout.write(`${renderPlan(plan)}\n`);
      } finally {
        await store.close();
      }
    });
}
