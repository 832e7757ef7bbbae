import { z } from 'zod';
import { durationMs, positiveInt } from '../config/fields.js';
import { describeIssue } from '../config/issues.js';
import { mergeSources } from '../config/yaml-source.js';
import { usageError } from '../core/errors.js';

/** A scaling study: a command run at each worker count, `repeats` times (`yardstick scale`; docs/training.md). */
export const scaleConfigSchema = z.strictObject({
  /** The command and its arguments; `{{workers}}` and `{{size}}` are filled in for each execution. */
  command: z.array(z.string()).min(1),
  /** Variables set for the job; values may hold `{{workers}}` and `{{size}}`. */
  env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string()).default({}),
  /** Worker counts, each run `repeats` times (run in ascending order within each repeat). */
  workers: z.array(positiveInt.max(1_000_000)).min(2),
  repeats: positiveInt.max(100).default(3),
  /** Weak scaling: the problem grows with the workers (`{{size}}` = n), fitted with Gustafson's law. */
  weak: z.boolean().default(false),
  /** The knee is the first count whose efficiency falls below this. */
  efficiencyBound: z.number().gt(0).lt(1).default(0.5),
  /** A progress regex with named groups, as `yardstick profile --progress`. */
  progress: z.string().min(1).optional(),
  /** Measure by this progress value's rate (units per second) instead of the wall time. */
  throughput: z.string().min(1).optional(),
  /** How often each job's process tree is looked at. */
  interval: durationMs.default(1000),
  /** Pause between two executions, so the machine settles. */
  pause: durationMs.default(0),
});

export type ScaleConfig = z.infer<typeof scaleConfigSchema>;

/** A scaling study's settings from a config file (or none) with the command line's laid over, every problem at once. */
export function loadScaleConfig(path: string | null, overrides: Record<string, unknown>): ScaleConfig {
  const { raw, where } = mergeSources({ path, overrides });
  const parsed = scaleConfigSchema.safeParse(raw);
  if (parsed.success) {
    const workers = parsed.data.workers;
    if (new Set(workers).size !== workers.length)
      throw usageError('CONFIG_INVALID', `the worker counts ${workers.join(',')} repeat a count`, 'list each once');
    if (parsed.data.throughput !== undefined && parsed.data.progress === undefined)
      throw usageError(
        'CONFIG_INVALID',
        `throughput '${parsed.data.throughput}' names a progress value, but there is no progress regex`,
        "add --progress with that named group, e.g. --progress 'samples (?<samples>\\d+)' --throughput samples",
      );
    const { throughput, progress } = parsed.data;
    if (throughput !== undefined && progress !== undefined && !progress.includes(`(?<${throughput}>`))
      throw usageError(
        'CONFIG_INVALID',
        `throughput '${throughput}' is not a named group of the progress regex '${progress}'`,
        `name the group, e.g. (?<${throughput}>\\d+)`,
      );
    return parsed.data;
  }
  const problems = parsed.error.issues.map((issue) => ({ where: where(issue.path), ...describeIssue(issue) }));
  throw usageError(
    'CONFIG_INVALID',
    `the scaling study has ${problems.length} problem${problems.length === 1 ? '' : 's'}`,
    'fix each one listed above; docs/training.md describes every field',
    problems,
  );
}
