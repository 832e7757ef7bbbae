import type { Command } from 'commander';
import { configBaseDir } from '../../config/yaml-source.js';
import { usageError } from '../../core/errors.js';
import { ExitCode } from '../../core/exit-codes.js';
import { renderTune } from '../../report/console-tune.js';
import { bounded } from '../../report/tune-text.js';
import { runTune } from '../../runs/tune-run.js';
import { onReferenceModelProgress, stopReferenceServers } from '../../serve/shared-servers.js';
import { openStore } from '../../store/open-store.js';
import { describeConfiguration, type ParameterValue } from '../../tuning/search-space.js';
import { loadTuneConfig } from '../../tuning/tune-config.js';
import { abortOnInterrupt } from '../interrupt.js';
import { collect, numberOr } from '../flags.js';
import { printJson } from '../output.js';
import type { GlobalOptions } from '../global-options.js';

interface TuneFlags {
  suite?: string;
  param: string[];
  search?: string;
  trials?: string;
  seed?: string;
  cases?: string;
  minCases?: string;
  eta?: string;
  finalists?: string;
  metric?: string;
  minAccuracy?: string;
  maxP95?: string;
  budget?: string;
  prefer?: string;
  concurrency?: string;
  json?: boolean;
}

/** A value written on the command line: a number, true, false or null as such, anything else as text. */
function parameterValue(text: string): ParameterValue {
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text === 'null') return null;
  return numberOr(text) ?? text;
}

/** `--param NAME=V1,V2,…` entries as the space; exit 2 naming an entry that is not one. */
function spaceOf(entries: readonly string[]): Record<string, ParameterValue[]> {
  const space: Record<string, ParameterValue[]> = {};
  for (const entry of entries) {
    const at = entry.indexOf('=');
    if (at <= 0)
      throw usageError(
        'FLAG_INVALID',
        `--param '${entry}' is not NAME=VALUE,VALUE,…`,
        'e.g. --param temperature=0,0.7 (templates with commas go in a config file)',
      );
    space[entry.slice(0, at)] = entry
      .slice(at + 1)
      .split(',')
      .map(parameterValue);
  }
  return space;
}

function overridesOf(flags: TuneFlags): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  if (flags.suite !== undefined) o.suite = flags.suite;
  if (flags.param.length > 0) o.space = spaceOf(flags.param);
  if (flags.search !== undefined) o.search = flags.search;
  const numbers = ['trials', 'seed', 'cases', 'minCases', 'eta', 'finalists', 'concurrency'] as const;
  for (const field of numbers) {
    const text = flags[field];
    if (text !== undefined) o[field] = numberOr(text);
  }
  if (flags.metric !== undefined) o.metric = flags.metric;
  const constraints: Record<string, unknown> = {};
  if (flags.minAccuracy !== undefined) constraints.minAccuracy = numberOr(flags.minAccuracy);
  if (flags.maxP95 !== undefined) constraints.maxP95 = flags.maxP95;
  if (flags.budget !== undefined) constraints.budget = numberOr(flags.budget);
  if (Object.keys(constraints).length > 0) o.constraints = constraints;
  if (flags.prefer !== undefined) o.prefer = flags.prefer;
  return o;
}

/** `yardstick tune CONFIG`: search a suite's settings with the suite as the objective. */
export function registerTune(program: Command, globals: () => GlobalOptions): void {
  program
    .command('tune')
    .argument('[config]', 'a YAML tuning study (suite, space, search, constraints); flags override its fields')
    .description(
      "search a suite's settings (temperature, top_p, max_tokens, prompt templates, models, targets, any suite field) by grid, seeded random or successive halving, each trial a stored eval run; the Pareto front over accuracy, p95 latency and cost with intervals, and the configuration to choose under constraints",
    )
    .option('--suite <file>', 'the eval suite every trial runs')
    .option('--param <NAME=V1,V2>', 'a parameter and its values, e.g. temperature=0,0.7 (repeatable)', collect, [])
    .option('--search <kind>', 'grid (default), random or halving')
    .option('--trials <n>', 'random and halving: configurations drawn (default 20, or the whole grid when smaller)')
    .option('--seed <n>', 'seed of the draws and the case samples (default 1)')
    .option('--cases <n>', "a seeded sample of the suite's cases (default all)")
    .option('--min-cases <n>', 'halving: cases in the first rung (default 10)')
    .option('--eta <n>', 'halving: keep 1/eta per rung on eta times the cases (default 3)')
    .option('--finalists <n>', 'halving: configurations the last rung keeps at least (default 3)')
    .option('--metric <name>', 'the accuracy metric (default accuracy, or pass_rate)')
    .option('--min-accuracy <share>', 'recommend only configurations at least this accurate')
    .option('--max-p95 <duration>', 'recommend only configurations whose p95 latency is at most this')
    .option('--budget <cost>', 'recommend only configurations costing at most this per 1,000 requests')
    .option('--prefer <what>', 'among those: cost, latency or accuracy')
    .option('--concurrency <n>', 'requests in flight within a trial (default the suite’s)')
    .option('--json', 'print only the JSON study on stdout')
    .addHelpText(
      'after',
      `
Each trial is an eval run of its own; the study is a run of kind tune. Exits 0 with a recommendation, 3 when no
configuration meets the constraints, 2 on bad input, 4 when a target cannot be reached.

Examples:
  yardstick tune tune.yaml
  yardstick tune --suite qa.yaml --param temperature=0,0.4,0.8 --param max_tokens=16,64 --min-accuracy 0.8
  yardstick tune --suite qa.yaml --param target=small,large --param top_p=0.5,1 --search halving --min-cases 20`,
    )
    .action(async (path: string | undefined, flags: TuneFlags) => {
      const config = loadTuneConfig(path ?? null, overridesOf(flags));
      const store = openStore(globals().store);
      const quiet = flags.json === true;
      if (!quiet) onReferenceModelProgress((line) => process.stderr.write(`${line}\n`));
      const interrupt = abortOnInterrupt(() =>
        process.stderr.write('interrupting: the study ends after the evaluation under way\n'),
      );
      try {
        const summary = await runTune({
          store,
          config,
          baseDir: configBaseDir(path ?? null),
          signal: interrupt.signal,
          onStarted: (runId, trials, rungs) => {
            if (!quiet)
              process.stderr.write(
                `run ${runId} started: ${trials} configurations, ${rungs.length} rung${rungs.length === 1 ? '' : 's'}\n`,
              );
          },
          onEvaluation: (trial, e, rungs) => {
            if (quiet) return;
            process.stderr.write(
              `[rung ${e.rung}/${rungs.length}, ${e.cases} cases] ${trial.name} (${describeConfiguration(trial.configuration)}): accuracy ${bounded(e.accuracy, 3)}, p95 ${bounded(e.p95LatencyMs, 1)} ms\n`,
            );
          },
        });
        if (quiet) printJson(summary);
        else process.stdout.write(`${renderTune(summary)}\n`);
        if (interrupt.signal.aborted) process.exitCode = ExitCode.interrupted;
        else if (summary.recommendation === null) process.exitCode = ExitCode.thresholdsFailed;
      } finally {
        interrupt.dispose();
        await store.close();
        await stopReferenceServers();
      }
    });
}
