import type { Problem } from '../../core/errors.js';
import type { RetryPolicy } from '../retry.js';
import type { ScorerConfig } from './scorer-schema.js';
import type { ReferenceAnswers } from './reference.js';
import type { Scorer } from './scorer.js';

/** What building a suite's scorer may use: where the suite is, its retry policy, and where this scorer is written. */
export interface ScorerBuildContext {
  /** The scorer's unique name in the suite. */
  name: string;
  /** Its position in the suite's `scorers`, for problems' fields. */
  index: number;
  baseDir: string;
  /** `file:line` of a field of the suite. */
  where: (path: readonly PropertyKey[]) => string;
  retry: RetryPolicy;
  /** The answers a scorer compares with (`value`, default the expected column), recording what cases must hold. */
  reference: (value: string | undefined) => ReferenceAnswers;
  /** Records that the scorer compares with the expected column. */
  needsExpected: () => void;
  /** Records template variables every case must provide. */
  needsVariables: (names: readonly string[]) => void;
}

/** A scorer, or the problems that make it unusable (each at its line). */
export type ScorerBuild = { scorer: Scorer } | { problems: Problem[] };

/**
 * One kind of scorer: the `type`s a suite names it by and how to build it from its config (which the suite schema
 * has checked). Registered in `registry.ts`.
 */
export interface ScorerKind {
  readonly types: readonly ScorerConfig['type'][];
  build(config: ScorerConfig, context: ScorerBuildContext): ScorerBuild;
}

/** Thrown by a build handed a config of another type: a registry mistake, not a user's. */
export function wrongType(expected: string, config: ScorerConfig): never {
  throw new Error(`the ${expected} scorer kind was handed a '${config.type}' config`);
}
