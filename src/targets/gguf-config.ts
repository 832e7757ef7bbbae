import { z } from 'zod';
import { durationMs, positiveInt, pricing } from '../config/fields.js';

/** A local GGUF model run in-process by node-llama-cpp (an optional install: `npm run setup:gguf`). */
export const ggufTargetConfig = z.strictObject({
  kind: z.literal('gguf'),
  name: z.string().min(1).optional(),
  /** Path to the .gguf file, relative to the current directory. */
  model: z.string().min(1),
  /** Tokens the context holds (capped at the model's training context). */
  contextSize: positiveInt.default(2048),
  /** CPU threads for llama.cpp; default all cores but one. */
  threads: positiveInt.optional(),
  /** 0 decodes greedily. */
  temperature: z.number().min(0).default(0),
  seed: z.number().int().default(1),
  /** Output budget when a request gives none. */
  maxTokens: positiveInt.default(256),
  timeout: durationMs.default(300_000),
  pricing,
});

export type GgufTargetConfig = z.infer<typeof ggufTargetConfig>;
