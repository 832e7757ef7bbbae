import { z } from 'zod';
import { choiceScorerConfigs } from './choice.js';
import { customScorerConfigs } from './custom.js';
import { efficiencyScorerConfigs } from './efficiency-scorers.js';
import { judgeScorerConfigs } from './judge.js';
import { structuredScorerConfigs } from './structured-scorers.js';
import { textScorerConfigs } from './text-scorers.js';

/**
 * A suite's scorer, by `type`: each type's config is defined beside its scorer, and a new kind is added here and in
 * `registry.ts` (a test keeps the two in step).
 */
export const scorerSchema = z.discriminatedUnion('type', [
  ...textScorerConfigs,
  ...choiceScorerConfigs,
  ...structuredScorerConfigs,
  ...efficiencyScorerConfigs,
  ...judgeScorerConfigs,
  ...customScorerConfigs,
]);

export type ScorerConfig = z.infer<typeof scorerSchema>;

/** Every scorer `type` the schema accepts, read from the schema itself. */
export function scorerTypesOfSchema(): string[] {
  return scorerSchema.options.flatMap((variant) => {
    const type = variant.shape.type;
    return type instanceof z.ZodEnum ? type.options : [...type.values].map(String);
  });
}
