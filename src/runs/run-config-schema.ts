import { z } from 'zod';
import { durationMs, positiveInt } from '../config/fields.js';
import { inputSchema, loadSchema } from '../load/bench-config-schema.js';
import { targetSchema } from '../targets/target-schema.js';

/** An eval suite run against the profile's targets; its own `targets` are replaced by each of them in turn. */
const evalEntry = z.strictObject({
  /** The suite file, relative to the run config. */
  suite: z.string().min(1),
  /** Names of the profile's targets to evaluate; all by default. */
  targets: z.array(z.string().min(1)).min(1).optional(),
  sample: positiveInt.optional(),
  /** With `sample`: 'label', 'tag' or a column name. */
  stratify: z.string().min(1).optional(),
  seed: z.number().int().optional(),
  repeats: positiveInt.max(1000).optional(),
  concurrency: positiveInt.max(1024).optional(),
  cache: z.boolean().optional(),
});

/** A load profile run against the profile's targets: `yardstick bench` settings without the target. */
const loadEntry = z.strictObject({
  name: z.string().min(1).optional(),
  targets: z.array(z.string().min(1)).min(1).optional(),
  load: loadSchema,
  input: inputSchema.optional(),
  slo: z.array(z.string()).default([]),
  thresholds: z.array(z.string()).default([]),
});

const tradeoffSettings = z.strictObject({
  /** The accuracy metric; default accuracy (or pass_rate when a suite has no labels). */
  metric: z.string().min(1).optional(),
  minAccuracy: z.number().min(0).max(1).optional(),
  maxP95: durationMs.optional(),
  /** Cost per 1,000 requests. */
  budget: z.number().nonnegative().optional(),
  prefer: z.enum(['cost', 'latency', 'accuracy']).default('latency'),
});

/** `yardstick run CONFIG`: targets × eval suites × load profiles, one stored run per pair and a profile run over them. */
export const runConfigSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  targets: z.array(targetSchema).min(1),
  evals: z.array(evalEntry).default([]),
  load: z.array(loadEntry).default([]),
  tradeoff: tradeoffSettings.default({ prefer: 'latency' }),
});

export type RunConfig = z.infer<typeof runConfigSchema>;
export type RunEvalEntry = z.infer<typeof evalEntry>;
export type RunLoadEntry = z.infer<typeof loadEntry>;

/** A target's name in a run config: its `name`, else its model, else its position. */
export function runTargetName(target: RunConfig['targets'][number], index: number): string {
  return target.name ?? ('model' in target ? target.model : `target${index + 1}`);
}
