import type { ScorerConfig } from './scorer-schema.js';
import { choiceScorerKind } from './choice.js';
import { customScorerKind } from './custom.js';
import { efficiencyScorerKind } from './efficiency-scorers.js';
import { judgeScorerKind } from './judge.js';
import type { ScorerKind } from './scorer-kind.js';
import { structuredScorerKind } from './structured-scorers.js';
import { textScorerKind } from './text-scorers.js';

/** Every scorer kind a suite can name; a new kind is defined beside its scorer and added here. */
export const SCORER_KINDS: readonly ScorerKind[] = [
  textScorerKind,
  choiceScorerKind,
  structuredScorerKind,
  efficiencyScorerKind,
  judgeScorerKind,
  customScorerKind,
];

/** The kind that builds scorers of this type (the suite schema admits only registered types; a test keeps them in step). */
export function scorerKindOf(type: ScorerConfig['type']): ScorerKind {
  const kind = SCORER_KINDS.find((k) => k.types.includes(type));
  if (kind === undefined) throw new Error(`no scorer kind builds '${type}' scorers`);
  return kind;
}
