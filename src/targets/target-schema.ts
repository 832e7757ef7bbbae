import { z } from 'zod';
import { builtinTargetConfig } from './builtin-config.js';
import { customTargetConfig } from './custom-config.js';
import { ggufTargetConfig } from './gguf-config.js';
import { httpTargetConfig } from './http-config.js';
import { openAiTargetConfig } from './openai-config.js';

/**
 * The forms of a target, by `kind`: each kind's config is defined beside its factory in this folder, and a new kind
 * is added here and in `registry.ts` (a test keeps the two in step).
 */
export const TARGET_VARIANTS = [
  openAiTargetConfig,
  httpTargetConfig,
  ggufTargetConfig,
  builtinTargetConfig,
  customTargetConfig,
] as const;

export const targetSchema = z.discriminatedUnion('kind', TARGET_VARIANTS);

export type TargetConfig = z.infer<typeof targetSchema>;

/** Every target `kind` the schema accepts, read from the schema itself. */
export function targetKindsOfSchema(): string[] {
  return TARGET_VARIANTS.flatMap((variant) => {
    const kind = variant.shape.kind;
    return kind instanceof z.ZodEnum ? kind.options : [...kind.values].map(String);
  });
}
