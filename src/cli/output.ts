import { formatProblem, inPlaceOrder, YardstickError } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';

/** Prints an error as `error[CODE]: message`, its located problems, and a hint; returns the exit code to use. */
export function reportError(error: unknown, debug: boolean): number {
  if (error instanceof YardstickError) {
    process.stderr.write(`error[${error.code}]: ${error.message}\n`);
    for (const problem of inPlaceOrder(error.problems)) process.stderr.write(`${formatProblem(problem)}\n`);
    if (error.hint !== undefined) process.stderr.write(`hint: ${error.hint}\n`);
    if (debug && error.stack !== undefined) process.stderr.write(`${error.stack}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`error[INTERNAL]: ${message}\n`);
  process.stderr.write(
    debug && error instanceof Error && error.stack !== undefined
      ? `${error.stack}\n`
      : 'hint: this is a bug in yardstick; rerun with --debug for the stack trace and report it\n',
  );
  return ExitCode.internal;
}

/** Writes a JSON document to stdout, one line per key level, ending in a newline. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
