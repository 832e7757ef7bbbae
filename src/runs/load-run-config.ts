import { dirname, resolve } from 'node:path';
import { withModulePath } from '../targets/target-modules.js';
import { usageError } from '../core/errors.js';
import { describeIssue } from '../config/issues.js';
import { withOtherFieldIssues } from '../config/variant-issues.js';
import { mergeSources } from '../config/yaml-source.js';
import { runConfigReferenceProblems } from './run-references.js';
import { runConfigSchema, type RunConfig } from './run-config-schema.js';

export interface LoadedRunConfig {
  config: RunConfig;
  /** The file's settings as written (targets, load entries), for building each run's own config. */
  raw: Record<string, unknown>;
  path: string;
  /** Where suite paths start: the config file's folder. */
  baseDir: string;
  where: (path: readonly PropertyKey[]) => string;
}

/** Loads and checks a run config (`yardstick run`), reporting every problem at once with file:line and field. */
export function loadRunConfig(path: string): LoadedRunConfig {
  const { raw, where } = mergeSources({ path, overrides: {} });
  const parsed = runConfigSchema.safeParse(raw);
  const problems = [
    ...(parsed.success
      ? []
      : withOtherFieldIssues(runConfigSchema, parsed.error.issues, raw).map((issue) => ({
          where: where(issue.path),
          ...describeIssue(issue),
        }))),
    ...runConfigReferenceProblems(raw, where),
  ];
  if (!parsed.success || problems.length > 0) {
    throw usageError(
      'CONFIG_INVALID',
      `the run config has ${problems.length} problem${problems.length === 1 ? '' : 's'}`,
      'fix each one listed above; docs/run.md describes every field',
      problems,
    );
  }
  const baseDir = dirname(resolve(path));
  const config = { ...parsed.data, targets: parsed.data.targets.map((t) => withModulePath(t, baseDir)) };
  return { config, raw, path, baseDir, where };
}
