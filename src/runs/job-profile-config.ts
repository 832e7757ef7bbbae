import { z } from 'zod';
import { durationMs } from '../config/fields.js';
import { describeIssue } from '../config/issues.js';
import { mergeSources } from '../config/yaml-source.js';
import { usageError } from '../core/errors.js';

/** A profiled job (`yardstick profile`; docs/training.md): the command, its environment, what to read of its output. */
export const jobProfileConfigSchema = z.strictObject({
  command: z.array(z.string()).min(1),
  env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string()).default({}),
  progress: z.string().min(1).optional(),
  interval: durationMs.default(1000),
});

export type JobProfileConfig = z.infer<typeof jobProfileConfigSchema>;

/** A profile's settings from a config file (or none) with the command line's laid over, every problem at once. */
export function loadJobProfileConfig(path: string | null, overrides: Record<string, unknown>): JobProfileConfig {
  const { raw, where } = mergeSources({ path, overrides });
  const parsed = jobProfileConfigSchema.safeParse(raw);
  if (parsed.success) {
    if (parsed.data.interval < 50)
      throw usageError(
        'CONFIG_INVALID',
        `${where(['interval'])}: interval ${parsed.data.interval} ms is shorter than 50 ms`,
        'e.g. interval: 1s',
      );
    return parsed.data;
  }
  const problems = parsed.error.issues.map((issue) => ({ where: where(issue.path), ...describeIssue(issue) }));
  throw usageError(
    'CONFIG_INVALID',
    `the profile has ${problems.length} problem${problems.length === 1 ? '' : 's'}`,
    'fix each one listed above; docs/training.md describes every field',
    problems,
  );
}
