import { ExitCode, type ExitCodeValue } from './exit-codes.js';

/** One located problem in a file or on the command line (config and data validation report many at once). */
export interface Problem {
  /** Where: `file:line` or `command line`. */
  where: string;
  /** Dotted field path, e.g. `profile.ratePerS`; empty when the whole document is at fault. */
  field: string;
  message: string;
  hint?: string;
}

export interface YardstickErrorInit {
  code: string;
  message: string;
  hint?: string;
  exitCode: ExitCodeValue;
  problems?: Problem[];
  cause?: unknown;
}

/** The only error type the CLI reports without a stack trace; carries its exit code and a hint. */
export class YardstickError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  readonly exitCode: ExitCodeValue;
  readonly problems: Problem[];

  constructor(init: YardstickErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'YardstickError';
    this.code = init.code;
    this.hint = init.hint;
    this.exitCode = init.exitCode;
    this.problems = init.problems ?? [];
  }
}

/** Bad flags, config or data: exit 2. */
export function usageError(code: string, message: string, hint?: string, problems?: Problem[]): YardstickError {
  return new YardstickError({ code, message, hint, exitCode: ExitCode.usage, problems });
}

/** Problems in the order of their place: by file, then line (`file:line`); places without a line keep their order, first. */
export function inPlaceOrder(problems: readonly Problem[]): Problem[] {
  const place = (p: Problem): [string, number] => {
    const match = /^(.*):(\d+)$/.exec(p.where);
    return match === null ? ['', -1] : [match[1] ?? '', Number(match[2])];
  };
  return problems
    .map((problem, index) => ({ problem, index, at: place(problem) }))
    .sort((a, b) => (a.at[0] === b.at[0] ? a.at[1] - b.at[1] : a.at[0] < b.at[0] ? -1 : 1) || a.index - b.index)
    .map((entry) => entry.problem);
}

/** Formats a problem as `where: field: message (hint)` for terminal output. */
export function formatProblem(problem: Problem): string {
  const field = problem.field === '' ? '' : ` ${problem.field}:`;
  const hint = problem.hint === undefined ? '' : `\n    hint: ${problem.hint}`;
  return `  ${problem.where}:${field} ${problem.message}${hint}`;
}

/** Turns anything thrown into a message string without losing non-Error values. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
