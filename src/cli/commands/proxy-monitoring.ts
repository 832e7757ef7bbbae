import type { Command } from 'commander';
import { usageError, type Problem, type YardstickError } from '../../core/errors.js';
import { parseFraction } from '../../core/units.js';
import { readColumns } from '../../data/read-columns.js';
import { defaultComparison } from '../../drift/compare-tables.js';
import { DATASET_METHODS } from '../../drift/dataset-verdict.js';
import { benchRunOf } from '../../efficiency/stored-bench.js';
import { parseThreshold, type Threshold } from '../../efficiency/thresholds.js';
import type { ReplicaCapacity } from '../../monitor/scaling-advice.js';
import { parseWindowSpec } from '../../monitor/window-spec.js';
import type { DriftSettings } from '../../proxy/proxy-session.js';
import { openStore } from '../../store/open-store.js';
import { capacityPlan } from '../../tradeoff/capacity-plan.js';
import { collect } from '../flags.js';

/** The proxy's flags for drift monitoring and scaling advice. */
export interface MonitoringFlags {
  reference?: string;
  window: string;
  windowMinRows: string;
  windowMaxRows: string;
  driftMethod: string;
  capacity?: string;
  capacitySlo: string[];
  headroom: string;
  replicas?: string;
}

/** Adds the drift and scaling flags to the proxy command. */
export function monitoringOptions(command: Command): Command {
  return command
    .option(
      '--reference <file>',
      'compare the sampled requests with this dataset (CSV, TSV, JSONL, Parquet), window by window (needs --sample)',
    )
    .option('--window <size>', "a drift window: a duration ('1h', '15m') or a count of sampled requests ('500')", '1h')
    .option('--window-min-rows <n>', 'windows with fewer sampled requests are recorded but not tested', '30')
    .option('--window-max-rows <n>', 'sampled requests a window keeps at most (a uniform sample beyond)', '10000')
    .option('--drift-method <method>', `how a window's verdict is reached: ${DATASET_METHODS.join(', ')}`, 'share')
    .option(
      '--capacity <run|rate>',
      "what one replica sustains under the SLOs: a bench sweep's run id (as `yardstick plan` reads it) or a rate, e.g. 12/s",
    )
    .option(
      '--capacity-slo <expr>',
      "an SLO each sweep step must meet for --capacity RUN, e.g. 'p95(ttft) < 500ms' (repeatable; default error_rate < 1%)",
      collect,
      [],
    )
    .option('--headroom <share>', 'spare capacity to keep on top of the load', '30%')
    .option('--replicas <n>', 'replicas serving now: with it the proxy says when to scale up or down');
}

function positiveInteger(text: string): number | null {
  const n = Number(text);
  return Number.isInteger(n) && n >= 1 ? n : null;
}

function problem(field: string, message: string, hint: string): Problem {
  return { where: 'command line', field, message, hint };
}

/** The per-replica rate of `--capacity`: a rate as given, or the sustainable rate of a stored sweep under the SLOs. */
async function replicaRate(
  text: string,
  slos: readonly string[],
  storePath: string | undefined,
  problems: Problem[],
): Promise<{ perS: number; source: string } | null> {
  const rate = Number(text.trim().replace(/\/s$/, ''));
  if (/^[\d.]+(\/s)?$/.test(text.trim())) {
    if (rate > 0 && Number.isFinite(rate)) return { perS: rate, source: `${rate}/s as given` };
    problems.push(problem('--capacity', `'${text}' is not a positive rate`, 'e.g. --capacity 12/s'));
    return null;
  }
  const thresholds: Threshold[] = [];
  (slos.length === 0 ? ['error_rate < 1%'] : slos).forEach((expr, i) => {
    const parsed = parseThreshold(expr);
    if (parsed.ok) thresholds.push(parsed.value);
    else problems.push(problem(`--capacity-slo[${i}]`, parsed.message, parsed.hint ?? "e.g. 'p95(ttft) < 500ms'"));
  });
  const store = openStore(storePath);
  try {
    const record = await store.getRun(text);
    const summary = record === null ? null : (benchRunOf(record)?.summary ?? null);
    if (summary === null || summary.steps.length < 2) {
      problems.push(
        problem(
          '--capacity',
          record === null ? `no run with id '${text}' in the store` : `run ${text} is not a bench sweep`,
          'give a sweep (yardstick bench --profile sweep …) of the same deployment, or a rate such as 12/s',
        ),
      );
      return null;
    }
    if (thresholds.length === 0) return null;
    const plan = capacityPlan(summary, thresholds, null);
    if (plan.sustainablePerS === null || plan.sustainablePerS <= 0) {
      problems.push(
        problem(
          '--capacity',
          `no step of sweep ${text} met every SLO (${plan.slo.join('; ')})`,
          'sweep lower rates, or check the SLOs with `yardstick plan`',
        ),
      );
      return null;
    }
    return {
      perS: plan.sustainablePerS,
      source: `sweep ${text}, step ${plan.sustainableStep ?? '?'} under ${plan.slo.join('; ')}`,
    };
  } finally {
    await store.close();
  }
}

/** Drift settings and replica capacity from the flags; each problem is added to `problems`. */
export async function monitoringSettings(
  flags: MonitoringFlags,
  sampling: boolean,
  storePath: string | undefined,
  problems: Problem[],
): Promise<{ drift: DriftSettings | null; capacity: ReplicaCapacity | null }> {
  const window = parseWindowSpec(flags.window);
  if (window === null)
    problems.push(
      problem('--window', `'${flags.window}' is neither a duration of 1 s or more nor a count`, "e.g. '1h' or '500'"),
    );
  const minRows = positiveInteger(flags.windowMinRows);
  if (minRows === null)
    problems.push(problem('--window-min-rows', `'${flags.windowMinRows}' is not a positive integer`, 'e.g. 30'));
  const maxRows = positiveInteger(flags.windowMaxRows);
  if (maxRows === null)
    problems.push(problem('--window-max-rows', `'${flags.windowMaxRows}' is not a positive integer`, 'e.g. 10000'));
  const method = DATASET_METHODS.find((m) => m === flags.driftMethod) ?? null;
  if (method === null)
    problems.push(
      problem('--drift-method', `'${flags.driftMethod}' is not a method`, `one of ${DATASET_METHODS.join(', ')}`),
    );
  if (flags.reference !== undefined && !sampling)
    problems.push(
      problem(
        '--reference',
        'drift is measured on sampled requests, and sampling is off',
        'add --sample, e.g. --sample 5%',
      ),
    );
  const headroom = parseFraction(flags.headroom);
  if (headroom === null || headroom < 0)
    problems.push(problem('--headroom', `'${flags.headroom}' is not a share`, 'e.g. --headroom 30%'));
  const replicas = flags.replicas === undefined ? null : positiveInteger(flags.replicas);
  if (flags.replicas !== undefined && replicas === null)
    problems.push(problem('--replicas', `'${flags.replicas}' is not a positive integer`, 'e.g. --replicas 2'));
  if (flags.capacity === undefined && (flags.replicas !== undefined || flags.capacitySlo.length > 0))
    problems.push(
      problem(
        flags.replicas !== undefined ? '--replicas' : '--capacity-slo',
        'scaling advice needs what one replica sustains',
        'add --capacity with a sweep run id or a rate, e.g. --capacity 12/s',
      ),
    );
  const rate =
    flags.capacity === undefined ? null : await replicaRate(flags.capacity, flags.capacitySlo, storePath, problems);
  const capacity: ReplicaCapacity | null =
    rate === null || headroom === null ? null : { perReplicaPerS: rate.perS, headroom, source: rate.source, replicas };
  if (
    problems.length > 0 ||
    flags.reference === undefined ||
    window === null ||
    minRows === null ||
    maxRows === null ||
    method === null
  )
    return { drift: null, capacity };
  // With every flag right, a reference that cannot be read ends the command here (exit 2), before any traffic.
  const reference = await readColumns(flags.reference);
  return {
    drift: {
      reference,
      window,
      minRows,
      maxRows,
      types: {},
      comparison: defaultComparison(method),
    },
    capacity,
  };
}

/** The usage error listing every problem of the proxy's flags. */
export function flagProblemsError(problems: readonly Problem[]): YardstickError {
  return usageError(
    'FLAG_INVALID',
    `the proxy's flags have ${problems.length} problem${problems.length === 1 ? '' : 's'}`,
    'fix each one listed above (yardstick proxy --help)',
    [...problems],
  );
}
