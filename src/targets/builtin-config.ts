import { z } from 'zod';
import { durationMs, pricing } from '../config/fields.js';
import { REFERENCE_MODEL_NAMES, type ReferenceModelName } from '../models/reference-catalog.js';

/**
 * A reference model yardstick trains and serves itself (`yardstick serve-model` lists them), reached over HTTP. Its
 * factory is registered by serve/, which runs the server.
 */
export const builtinTargetConfig = z.strictObject({
  kind: z.literal('builtin'),
  name: z.string().min(1).optional(),
  model: z.enum(REFERENCE_MODEL_NAMES as [ReferenceModelName, ...ReferenceModelName[]]),
  stream: z.boolean().default(true),
  timeout: durationMs.default(30_000),
  pricing,
});

export type BuiltinTargetConfig = z.infer<typeof builtinTargetConfig>;
