import { usageError, type Problem } from '../core/errors.js';
import { describeIssue } from '../config/issues.js';
import { withOtherFieldIssues } from '../config/variant-issues.js';
import { configBaseDir, mergeSources, type ConfigSource } from '../config/yaml-source.js';
import { parseSlo, parseThreshold, type Parsed, type Threshold } from '../efficiency/thresholds.js';
import type { Slo } from '../efficiency/slo.js';
import { withModulePath } from '../targets/target-modules.js';
import { benchConfigSchema, type BenchConfig } from './bench-config-schema.js';

export interface LoadedBenchConfig {
  config: BenchConfig;
  thresholds: Threshold[];
  slos: Slo[];
  /** The file it came from, or null for flags alone. */
  path: string | null;
}

/** Where a bench config comes from. */
export interface BenchConfigSource extends ConfigSource {
  /** The caller brings its own target, so the config need not name one. */
  ownTarget?: boolean;
}

/** Loads a bench config from a YAML file and/or flags, reporting every problem at once with file:line and field. */
export function loadBenchConfig(source: BenchConfigSource): LoadedBenchConfig {
  const { raw, where } = mergeSources(source);

  const problems: Problem[] = [];
  if (raw.target === undefined && source.ownTarget !== true)
    problems.push({
      where: where(['target']),
      field: 'target',
      message: 'missing required field (object)',
      hint: 'name what to measure: a target block, or --url and --model',
    });
  const parsed = benchConfigSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of withOtherFieldIssues(benchConfigSchema, parsed.error.issues, raw))
      problems.push({ where: where(issue.path), ...describeIssue(issue) });
  }
  // Expressions are parsed here, once, so that their mistakes are reported with the schema's, at their lines.
  const parseAll = <T>(key: 'thresholds' | 'slo', parse: (expr: string) => Parsed<T>): T[] => {
    const list = Array.isArray(raw[key]) ? (raw[key] as unknown[]) : [];
    return list.flatMap((expr, i) => {
      if (typeof expr !== 'string') return [];
      const result = parse(expr);
      if (result.ok) return [result.value];
      problems.push({ where: where([key, i]), field: `${key}[${i}]`, message: result.message, hint: result.hint });
      return [];
    });
  };
  const thresholds = parseAll('thresholds', parseThreshold);
  const slos = parseAll('slo', parseSlo);
  // A capacity search's objectives are thresholds too: their mistakes are reported at their lines.
  const load = raw.load;
  if (typeof load === 'object' && load !== null && 'objectives' in load && Array.isArray(load.objectives))
    load.objectives.forEach((expr: unknown, i: number) => {
      if (typeof expr !== 'string') return;
      const result = parseThreshold(expr);
      if (!result.ok)
        problems.push({
          where: where(['load', 'objectives', i]),
          field: `load.objectives[${i}]`,
          message: result.message,
          hint: result.hint,
        });
    });

  if (problems.length > 0 || !parsed.success) {
    const count = problems.length;
    throw usageError(
      'CONFIG_INVALID',
      `the configuration has ${count} problem${count === 1 ? '' : 's'}`,
      'fix each one listed above; docs/config.md describes every field',
      problems,
    );
  }
  const target = parsed.data.target;
  const config = {
    ...parsed.data,
    target: target === undefined ? undefined : withModulePath(target, configBaseDir(source.path)),
  };
  return { config, thresholds, slos, path: source.path };
}
