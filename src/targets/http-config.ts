import { z } from 'zod';
import { client, durationMs, headers, pricing } from '../config/fields.js';

/** Any HTTP API: the request body from a template, the answer from a path into the response. */
export const httpTargetConfig = z.strictObject({
  kind: z.literal('http'),
  name: z.string().min(1).optional(),
  url: z.url({ protocol: /^https?$/ }),
  headers,
  apiKeyEnv: z.string().min(1).optional(),
  apiKeyHeader: z.string().min(1).default('authorization'),
  bodyTemplate: z.unknown().refine((v) => v !== undefined, { message: 'bodyTemplate is required' }),
  outputPath: z.string().min(1),
  timeout: durationMs.default(60_000),
  client,
  pricing,
});

export type HttpTargetConfig = z.infer<typeof httpTargetConfig>;
