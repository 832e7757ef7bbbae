import type { Command } from 'commander';
import type { GlobalOptions } from './global-options.js';

type Register = (program: Command, globals: () => GlobalOptions) => void;

/**
 * Every command, in the order help lists them, each loaded on demand: a command's module brings the whole of what
 * it runs (HTTP clients, statistics, the store), so loading only the one being run keeps start-up short.
 */
const COMMANDS: [name: string, load: () => Promise<Register>][] = [
  ['bench', async () => (await import('./commands/bench.js')).registerBench],
  ['eval', async () => (await import('./commands/eval.js')).registerEval],
  ['compare', async () => (await import('./commands/compare.js')).registerCompare],
  ['metrics', async () => (await import('./commands/metrics.js')).registerMetrics],
  ['drift', async () => (await import('./commands/drift.js')).registerDrift],
  ['data', async () => (await import('./commands/data-check.js')).registerDataCheck],
  ['tradeoff', async () => (await import('./commands/tradeoff.js')).registerTradeoff],
  ['baseline', async () => (await import('./commands/baseline.js')).registerBaseline],
  ['run', async () => (await import('./commands/run.js')).registerRun],
  ['report', async () => (await import('./commands/report.js')).registerReport],
  ['plan', async () => (await import('./commands/plan.js')).registerPlan],
  ['profile', async () => (await import('./commands/profile-job.js')).registerProfileJob],
  ['scale', async () => (await import('./commands/scale.js')).registerScale],
  ['tune', async () => (await import('./commands/tune.js')).registerTune],
  ['rate', async () => (await import('./commands/rate.js')).registerRate],
  ['view', async () => (await import('./commands/view.js')).registerView],
  ['worker', async () => (await import('./commands/worker.js')).registerWorker],
  ['runs', async () => (await import('./commands/runs.js')).registerRuns],
  ['serve-sim', async () => (await import('./commands/serve-sim.js')).registerServeSim],
  ['proxy', async () => (await import('./commands/proxy.js')).registerProxy],
  ['alert-rules', async () => (await import('./commands/alert-rules.js')).registerAlertRules],
  ['canary', async () => (await import('./commands/canary.js')).registerCanary],
  ['serve-model', async () => (await import('./commands/serve-model.js')).registerServeModel],
  ['demo', async () => (await import('./commands/demo.js')).registerDemo],
];

/** Commands that read only files and the store, never a target: they skip loading the target kinds. */
const WITHOUT_TARGETS = new Set(['metrics', 'drift', 'data', 'profile', 'scale', 'rate', 'view']);

/** Global options that take a value, so the word after them is not the command. */
const GLOBAL_OPTIONS_WITH_VALUE = new Set(['--store']);

/** The command named on the command line (its first word that is not a global option), or null. */
export function commandNamed(args: readonly string[]): string | null {
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] as string;
    if (GLOBAL_OPTIONS_WITH_VALUE.has(arg)) i += 1;
    else if (!arg.startsWith('-')) return arg;
  }
  return null;
}

/**
 * Registers the named command, or every command when the name is null or unknown (help, and commander's
 * suggestions for a mistyped name, need them all). Reference models (`kind: builtin`) are served by this process,
 * so every command that reaches a target can name them.
 */
export async function registerCommands(
  program: Command,
  globals: () => GlobalOptions,
  name: string | null,
): Promise<void> {
  if (name === null || !WITHOUT_TARGETS.has(name)) (await import('../serve/builtin-target.js')).registerBuiltinTarget();
  const chosen = COMMANDS.filter(([command]) => command === name);
  for (const [, load] of chosen.length > 0 ? chosen : COMMANDS) (await load())(program, globals);
}
