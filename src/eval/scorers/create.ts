import type { Problem } from '../../core/errors.js';
import type { RetryPolicy } from '../retry.js';
import type { ScorerConfig } from './scorer-schema.js';
import { ReferenceAnswers } from './reference.js';
import { scorerKindOf } from './registry.js';
import type { Scorer } from './scorer.js';

export interface ScorerContext {
  baseDir: string;
  where: (path: readonly PropertyKey[]) => string;
  retry: RetryPolicy;
}

export interface BuiltScorers {
  scorers: Scorer[];
  /** Variables the scorers' templates need from every case. */
  variables: { scorer: string; names: string[] }[];
  /** Scorers that compare with the expected column. */
  needExpected: string[];
  problems: Problem[];
}

function uniqueName(wanted: string, taken: Set<string>): string {
  let name = wanted;
  for (let i = 2; taken.has(name); i += 1) name = `${wanted}_${i}`;
  taken.add(name);
  return name;
}

/** Builds the suite's scorers with their kinds (registry.ts), reporting every unusable one at its line. */
export function createScorers(configs: readonly ScorerConfig[], context: ScorerContext): BuiltScorers {
  const taken = new Set<string>();
  const built: BuiltScorers = { scorers: [], variables: [], needExpected: [], problems: [] };
  configs.forEach((config: ScorerConfig, index) => {
    const name = uniqueName(config.name ?? config.type, taken);
    const result = scorerKindOf(config.type).build(config, {
      name,
      index,
      baseDir: context.baseDir,
      where: context.where,
      retry: context.retry,
      reference: (value) => {
        const reference = new ReferenceAnswers(value);
        if (reference.usesExpected) built.needExpected.push(name);
        else built.variables.push({ scorer: name, names: reference.variables.filter((v) => v !== 'expected') });
        return reference;
      },
      needsExpected: () => built.needExpected.push(name),
      needsVariables: (names) => built.variables.push({ scorer: name, names: [...names] }),
    });
    if ('scorer' in result) built.scorers.push(result.scorer);
    else built.problems.push(...result.problems);
  });
  return built;
}
