import { z } from 'zod';
import { durationMs, positiveInt, pricing } from '../config/fields.js';
import { REFERENCE_MODEL_NAMES, settingsOf, type ReferenceModelName } from '../models/reference-catalog.js';

/**
 * A reference model yardstick trains and serves itself (`yardstick serve-model` lists them), reached over HTTP. Its
 * factory is registered by serve/, which runs the server.
 */
export const builtinTargetConfig = z
  .strictObject({
    kind: z.literal('builtin'),
    name: z.string().min(1).optional(),
    model: z.enum(REFERENCE_MODEL_NAMES as [ReferenceModelName, ...ReferenceModelName[]]),
    /** The model's hyperparameters (docs/training.md lists which each takes); yardstick's defaults for the rest. */
    hyperparameters: z
      .strictObject({
        terms: positiveInt.max(100_000).optional(),
        steps: positiveInt.max(100_000).optional(),
        learningRate: z.number().positive().max(10).optional(),
        k: positiveInt.max(1000).optional(),
        trees: positiveInt.max(2000).optional(),
      })
      .default({}),
    stream: z.boolean().default(true),
    timeout: durationMs.default(30_000),
    pricing,
  })
  .superRefine((config, ctx) => {
    const takes: readonly string[] = settingsOf(config.model);
    for (const key of Object.keys(config.hyperparameters))
      if (!takes.includes(key))
        ctx.addIssue({
          code: 'custom',
          path: ['hyperparameters', key],
          message: `${config.model} does not take '${key}'; its hyperparameters: ${takes.join(', ')}`,
        });
  });

export type BuiltinTargetConfig = z.infer<typeof builtinTargetConfig>;
