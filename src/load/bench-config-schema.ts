import { randomInt } from 'node:crypto';
import { z } from 'zod';
import { durationMs, positiveInt, runPortion } from '../config/fields.js';
import { targetSchema } from '../targets/target-schema.js';
import { lengthDistributionSchema } from './length-distribution.js';
import { TRACE_FORMATS } from './trace/trace-formats.js';

const common = {
  duration: durationMs.optional(),
  requests: positiveInt.optional(),
  warmup: runPortion.optional(),
  cooldown: runPortion.optional(),
  workers: positiveInt.max(64).default(1),
  seed: z.number().int().default(1),
  /** Multi-turn sessions: the pause between a turn's answer and the next turn. */
  thinkTime: durationMs.optional(),
};

const rateProfile = z.strictObject({
  profile: z.enum(['rate', 'poisson']),
  ratePerS: z.number().positive(),
  maxConcurrency: positiveInt.optional(),
  ...common,
});

const gammaProfile = z.strictObject({
  profile: z.literal('gamma'),
  ratePerS: z.number().positive(),
  /** Gamma shape of the gaps: 1 is Poisson, below 1 burstier, above 1 more regular (vLLM's --burstiness). */
  burstiness: z.number().positive().default(1),
  maxConcurrency: positiveInt.optional(),
  ...common,
});

const stagesProfile = z.strictObject({
  profile: z.literal('stages'),
  /** Each stage moves the rate linearly to `target` (requests/s) over `duration` (k6's stages). */
  stages: z.array(z.strictObject({ duration: durationMs, target: z.number().min(0) })).min(1),
  startRate: z.number().min(0).default(0),
  stageArrivals: z.enum(['rate', 'poisson']).default('rate'),
  maxConcurrency: positiveInt.optional(),
  ...common,
});

const sloSearchProfile = z.strictObject({
  profile: z.literal('slo-search'),
  /** Objectives every step must meet, in the threshold grammar, e.g. 'p95(ttft) < 500ms'. */
  objectives: z.array(z.string()).min(1),
  startRate: z.number().positive().default(1),
  maxRate: z.number().positive().default(10_000),
  tolerance: z.number().gt(0).lt(1).default(0.05),
  maxSteps: positiveInt.max(50).default(16),
  stepDuration: durationMs.default(10_000),
  stepArrivals: z.enum(['rate', 'poisson']).default('rate'),
  maxConcurrency: positiveInt.default(1024),
  ...common,
});

const traceProfile = z.strictObject({
  profile: z.literal('trace'),
  /** A trace of arrivals and lengths, replayed at its own times (load/trace/trace-formats.ts). */
  trace: z.string().min(1),
  traceFormat: z.enum(['auto', ...TRACE_FORMATS]).default('auto'),
  /** Multiplies the trace's times: 2 replays it at half speed, 0.5 at double. */
  timeScale: z.number().positive().default(1),
  /** Tokens per `hash_ids` block of a Mooncake trace. */
  blockTokens: positiveInt.default(512),
  maxConcurrency: positiveInt.optional(),
  ...common,
});

const concurrencyProfile = z.strictObject({
  profile: z.literal('concurrency'),
  concurrency: positiveInt,
  ...common,
});

const throughputProfile = z.strictObject({
  profile: z.literal('throughput'),
  maxConcurrency: positiveInt.default(256),
  ...common,
});

const sweepProfile = z.strictObject({
  profile: z.literal('sweep'),
  steps: positiveInt.max(100).default(8),
  stepArrivals: z.enum(['rate', 'poisson']).default('rate'),
  maxConcurrency: positiveInt.default(256),
  ...common,
});

export const PROFILE_KINDS = [
  'concurrency',
  'rate',
  'poisson',
  'gamma',
  'stages',
  'throughput',
  'sweep',
  'slo-search',
  'trace',
] as const;

/** The forms of a load, by `profile`. */
export const LOAD_VARIANTS = [
  rateProfile,
  gammaProfile,
  stagesProfile,
  concurrencyProfile,
  throughputProfile,
  sweepProfile,
  sloSearchProfile,
  traceProfile,
] as const;

export const loadSchema = z.discriminatedUnion('profile', LOAD_VARIANTS).superRefine((load, ctx) => {
  if (
    load.duration === undefined &&
    load.requests === undefined &&
    load.profile !== 'stages' &&
    load.profile !== 'slo-search' &&
    load.profile !== 'trace'
  ) {
    ctx.addIssue({
      code: 'custom',
      message: 'a run needs a limit',
      path: ['duration'],
      params: { hint: "set 'duration' (e.g. 30s), 'requests' (e.g. 1000), or both" },
    });
  }
});

/** A fresh seed for synthetic prompts, so a rerun sends prompts a server's prefix cache has not seen. */
function newPromptSeed(): number {
  return randomInt(1, 2 ** 31);
}

const syntheticInput = z.strictObject({
  kind: z.literal('synthetic'),
  inputTokens: positiveInt.default(128),
  outputTokens: positiveInt.default(64),
  fixedOutputLength: z.boolean().default(false),
  /** Prompt lengths drawn from a distribution instead of `inputTokens` each (one draw per unique prompt). */
  inputLengths: lengthDistributionSchema.optional(),
  /** max_tokens drawn from a distribution instead of `outputTokens` (one draw per unique prompt). */
  outputLengths: lengthDistributionSchema.optional(),
  /** Shared prefixes: `share` of the prompts start with one of `count` prefixes of `tokens` tokens (per bucket). */
  prefixes: z
    .array(z.strictObject({ count: positiveInt, tokens: positiveInt, share: z.number().gt(0).max(1) }))
    .refine((buckets) => buckets.reduce((sum, b) => sum + b.share, 0) <= 1 + 1e-9, {
      message: 'the shares of the prefix buckets add up to more than 1',
    })
    .optional(),
  uniquePrompts: positiveInt.max(100_000).default(256),
  /** User turns per session: above 1, each session sends this many prompts, each with the history and real answers. */
  turns: positiveInt.max(100).default(1),
  /** Seeds the prompts' words: new for every run unless given, and stored with the run so that it can be repeated. */
  seed: z.number().int().default(newPromptSeed),
});

const fileInput = z.strictObject({
  kind: z.literal('file'),
  path: z.string().min(1),
  maxTokens: positiveInt.optional(),
});

const datasetInput = z.strictObject({
  kind: z.literal('dataset'),
  /** ShareGPT JSON/JSON lines, or JSON lines, CSV, TSV or Parquet with a prompt column. */
  path: z.string().min(1),
  format: z.enum(['auto', 'sharegpt', 'column']).default('auto'),
  /** The prompt column of the `column` format. */
  column: z.string().min(1).default('prompt'),
  /** `first-turn`: each conversation's first user turn; `whole`: every turn, as a multi-turn session. */
  conversations: z.enum(['first-turn', 'whole']).default('first-turn'),
  maxTurns: positiveInt.optional(),
  /** max_tokens of every request; by default each turn's recorded answer length, else 64. */
  maxTokens: positiveInt.optional(),
  /** Only the first this many usable records. */
  limit: positiveInt.optional(),
  fixedOutputLength: z.boolean().default(false),
});

export const INPUT_KINDS = ['synthetic', 'file', 'dataset'] as const;

/** The forms of a load's input, by `kind`. */
export const INPUT_VARIANTS = [syntheticInput, fileInput, datasetInput] as const;

export const inputSchema = z.discriminatedUnion('kind', INPUT_VARIANTS);
export type SyntheticInputConfig = z.infer<typeof syntheticInput>;
export type DatasetInputConfig = z.infer<typeof datasetInput>;

/** What makes a result valid (docs/metrics.md, "Validity of a run"): minimum duration, bound confidence, percentiles. */
const validitySchema = z.strictObject({
  minDuration: durationMs.default(60_000),
  confidence: z.number().gt(0).lt(1).default(0.95),
  percentiles: z
    .array(z.enum(['p50', 'p90', 'p95', 'p99', 'p999']))
    .min(1)
    .default(['p50', 'p90', 'p95', 'p99']),
});

export const benchConfigSchema = z.strictObject({
  /** Required unless the caller brings a target of its own (the library's `runBench` with a `Target`). */
  target: targetSchema.optional(),
  load: loadSchema,
  input: inputSchema.default(() => ({
    kind: 'synthetic' as const,
    inputTokens: 128,
    outputTokens: 64,
    fixedOutputLength: false,
    uniquePrompts: 256,
    turns: 1,
    seed: newPromptSeed(),
  })),
  slo: z.array(z.string()).default([]),
  thresholds: z.array(z.string()).default([]),
  validity: validitySchema.default({
    minDuration: 60_000,
    confidence: 0.95,
    percentiles: ['p50', 'p90', 'p95', 'p99'],
  }),
  /** The server's Prometheus metrics to scrape during the run: a URL, `off`, or (absent) the target's /metrics when it answers. */
  serverMetrics: z.union([z.literal('off'), z.url({ protocol: /^https?$/ })]).optional(),
});

export type LoadConfig = z.infer<typeof loadSchema>;
export type InputConfig = z.infer<typeof inputSchema>;
export type BenchConfig = z.infer<typeof benchConfigSchema>;
