#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { yardstickVersion } from '../core/environment.js';
import { ExitCode } from '../core/exit-codes.js';
import type { GlobalOptions } from './global-options.js';
import { reportError } from './output.js';
import { commandNamed, registerCommands } from './command-modules.js';

const program = new Command();
program
  .name('yardstick')
  .description(
    'Measure how well AI systems perform: efficiency (latency, throughput, resources) and accuracy, with honest statistics.',
  )
  .version(yardstickVersion(), '--version', 'print the version')
  .option('--debug', 'print stack traces with errors')
  .option(
    '--store <path|url>',
    'results store: a SQLite file, or postgres://USER@HOST:PORT/DATABASE shared by a team (password from the URL or PGPASSWORD); default $YARDSTICK_STORE or .yardstick/yardstick.db',
  )
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride()
  .configureOutput({
    outputError: (text, write) => write(`error[USAGE]: ${text.replace(/^error: /, '')}`),
  });

const globals = (): GlobalOptions => program.opts<GlobalOptions>();
// Only the command being run is loaded (each brings its own dependencies); all of them for help or an unknown name.
await registerCommands(program, globals, commandNamed(process.argv.slice(2)));
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
