#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { yardstickVersion } from '../core/environment.js';
import { ExitCode } from '../core/exit-codes.js';
import { registerBaseline } from './commands/baseline.js';
import { registerBench } from './commands/bench.js';
import { registerCompare } from './commands/compare.js';
import { registerDataCheck } from './commands/data-check.js';
import { registerDemo } from './commands/demo.js';
import { registerDrift } from './commands/drift.js';
import { registerTradeoff } from './commands/tradeoff.js';
import { registerEval } from './commands/eval.js';
import { registerMetrics } from './commands/metrics.js';
import { registerPlan } from './commands/plan.js';
import { registerReport } from './commands/report.js';
import { registerRun } from './commands/run.js';
import { registerRuns } from './commands/runs.js';
import { registerServeModel } from './commands/serve-model.js';
import { registerServeSim } from './commands/serve-sim.js';
import { registerProxy } from './commands/proxy.js';
import { registerAlertRules } from './commands/alert-rules.js';
import { registerCanary } from './commands/canary.js';
import type { GlobalOptions } from './global-options.js';
import { reportError } from './output.js';
import { registerBuiltinTarget } from '../serve/builtin-target.js';

// Reference models (`kind: builtin`) are served by this process; every command can name them.
registerBuiltinTarget();

const program = new Command();
program
  .name('yardstick')
  .description(
    'Measure how well AI systems perform: efficiency (latency, throughput, resources) and accuracy, with honest statistics.',
  )
  .version(yardstickVersion(), '--version', 'print the version')
  .option('--debug', 'print stack traces with errors')
  .option('--store <path>', 'results store (SQLite file); default $YARDSTICK_STORE or .yardstick/yardstick.db')
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride()
  .configureOutput({
    outputError: (text, write) => write(`error[USAGE]: ${text.replace(/^error: /, '')}`),
  });

const globals = (): GlobalOptions => program.opts<GlobalOptions>();
registerBench(program, globals);
registerEval(program, globals);
registerCompare(program, globals);
registerMetrics(program, globals);
registerDrift(program, globals);
registerDataCheck(program, globals);
registerTradeoff(program, globals);
registerBaseline(program, globals);
registerRun(program, globals);
registerReport(program, globals);
registerPlan(program, globals);
registerRuns(program, globals);
registerServeSim(program);
registerProxy(program, globals);
registerAlertRules(program);
registerCanary(program, globals);
registerServeModel(program);
registerDemo(program, globals);
for (const command of program.commands) command.exitOverride();

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    const helpOrVersion =
      error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help';
    process.exitCode = helpOrVersion ? ExitCode.ok : ExitCode.usage;
  } else {
    process.exitCode = reportError(error, globals().debug === true);
  }
}
