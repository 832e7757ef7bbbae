import { z } from 'zod';
import { client, durationMs, headers, pricing } from '../config/fields.js';

/** An OpenAI-compatible API: chat or completions. */
export const openAiTargetConfig = z.strictObject({
  kind: z.enum(['openai-chat', 'openai-completions']),
  name: z.string().min(1).optional(),
  baseUrl: z.url({ protocol: /^https?$/ }),
  model: z.string().min(1),
  apiKeyEnv: z.string().min(1).optional(),
  headers,
  body: z.record(z.string(), z.unknown()).default({}),
  stream: z.boolean().default(true),
  continuousUsage: z.boolean().default(false),
  /** Alternatives asked for per token when a server without echo scores single-token continuations from its top log-probabilities. */
  topLogprobs: z.number().int().positive().default(20),
  timeout: durationMs.default(60_000),
  client,
  pricing,
});

export type OpenAiTargetConfig = z.infer<typeof openAiTargetConfig>;
