/** Process exit codes; every command ends with one of these. */
export const ExitCode = {
  ok: 0,
  internal: 1,
  usage: 2,
  thresholdsFailed: 3,
  targetUnreachable: 4,
  interrupted: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];
