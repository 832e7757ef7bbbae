import { z } from 'zod';
import { pricing } from '../config/fields.js';

/**
 * A target of the user's own, from a JavaScript or TypeScript module whose export builds it: `(options, context)
 * => Target`. `module` is relative to the config file's folder.
 */
export const customTargetConfig = z.strictObject({
  kind: z.literal('custom'),
  name: z.string().min(1).optional(),
  module: z.string().min(1),
  export: z.string().min(1).default('default'),
  /** Handed to the module's function as they are. */
  options: z.record(z.string(), z.unknown()).default({}),
  pricing,
});

export type CustomTargetConfig = z.infer<typeof customTargetConfig>;
