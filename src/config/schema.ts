import { randomInt } from 'node:crypto';
import { z } from 'zod';
import { parseDurationMs, parseFraction } from '../core/units.js';
import { HTTP_CLIENT_KINDS } from '../http/dispatcher.js';
import { headerProblem } from '../http/request-encoder.js';
import { REFERENCE_MODEL_NAMES, type ReferenceModelName } from '../models/reference-catalog.js';

/** A duration: `250ms`, `30s`, `2m`, or a number of seconds; parsed to milliseconds. */
export const durationMs = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const ms = parseDurationMs(value);
  if (ms === null) {
    ctx.addIssue({
      code: 'custom',
      message: `'${String(value)}' is not a duration`,
      params: { hint: "write e.g. '500ms', '30s', '2m' or a number of seconds" },
    });
    return z.NEVER;
  }
  return ms;
});

/** Warm-up and cool-down: a duration (`5s`) or a share of the run (`10%`). */
const runPortion = z.union([z.string(), z.number()]).transform((value, ctx) => {
  if (typeof value === 'string' && value.trim().endsWith('%')) {
    const fraction = parseFraction(value);
    if (fraction === null || fraction < 0 || fraction >= 1) {
      ctx.addIssue({ code: 'custom', message: `'${value}' is not a share between 0% and 100%` });
      return z.NEVER;
    }
    return { fraction } as const;
  }
  const ms = parseDurationMs(value);
  if (ms === null) {
    ctx.addIssue({
      code: 'custom',
      message: `'${String(value)}' is neither a duration nor a percentage`,
      params: { hint: "write e.g. '5s' or '10%'" },
    });
    return z.NEVER;
  }
  return { ms } as const;
});

const headers = z
  .record(z.string(), z.string())
  .default({})
  .superRefine((value, ctx) => {
    const problem = headerProblem(value);
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
  });

/** The HTTP client: yardstick's own HTTP/1.1 client (the default, and the lighter load generator), or undici's. */
const client = z.enum(HTTP_CLIENT_KINDS).default('yardstick');

/**
 * Prices in currency units (e.g. USD): per million tokens (an API), and/or per hour of a dedicated instance (a
 * self-hosted model), which an eval charges to each request at the throughput it measured.
 */
const pricing = z
  .strictObject({
    inputPerMTokens: z.number().nonnegative().default(0),
    outputPerMTokens: z.number().nonnegative().default(0),
    perHour: z.number().nonnegative().optional(),
  })
  .optional();

const openAiTarget = z.strictObject({
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

const httpTarget = z.strictObject({
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

export const positiveInt = z.number().int().positive();

/** A local GGUF model run in-process by node-llama-cpp (an optional install: `npm run setup:gguf`). */
const ggufTarget = z.strictObject({
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

/** A reference model yardstick trains and serves itself (`yardstick serve-model` lists them), reached over HTTP. */
const builtinTarget = z.strictObject({
  kind: z.literal('builtin'),
  name: z.string().min(1).optional(),
  model: z.enum(REFERENCE_MODEL_NAMES as [ReferenceModelName, ...ReferenceModelName[]]),
  stream: z.boolean().default(true),
  timeout: durationMs.default(30_000),
  pricing,
});

/**
 * A target of the user's own, from a JavaScript or TypeScript module whose export builds it: `(options, context)
 * => Target`. `module` is relative to the config file's folder.
 */
const customTarget = z.strictObject({
  kind: z.literal('custom'),
  name: z.string().min(1).optional(),
  module: z.string().min(1),
  export: z.string().min(1).default('default'),
  /** Handed to the module's function as they are. */
  options: z.record(z.string(), z.unknown()).default({}),
  pricing,
});

/** The forms of a target, by `kind`. */
export const TARGET_VARIANTS = [openAiTarget, httpTarget, ggufTarget, builtinTarget, customTarget] as const;

export const targetSchema = z.discriminatedUnion('kind', TARGET_VARIANTS);

/** Every target `kind` the schema accepts, read from the schema itself. */
export function targetKindsOfSchema(): string[] {
  return TARGET_VARIANTS.flatMap((variant) => {
    const kind = variant.shape.kind;
    return kind instanceof z.ZodEnum ? kind.options : [...kind.values].map(String);
  });
}

const common = {
  duration: durationMs.optional(),
  requests: positiveInt.optional(),
  warmup: runPortion.optional(),
  cooldown: runPortion.optional(),
  workers: positiveInt.max(64).default(1),
  seed: z.number().int().default(1),
};

const rateProfile = z.strictObject({
  profile: z.enum(['rate', 'poisson']),
  ratePerS: z.number().positive(),
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

export const PROFILE_KINDS = ['concurrency', 'rate', 'poisson', 'throughput', 'sweep'] as const;

/** The forms of a load, by `profile`. */
export const LOAD_VARIANTS = [rateProfile, concurrencyProfile, throughputProfile, sweepProfile] as const;

export const loadSchema = z.discriminatedUnion('profile', LOAD_VARIANTS).superRefine((load, ctx) => {
  if (load.duration === undefined && load.requests === undefined) {
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
  uniquePrompts: positiveInt.max(100_000).default(256),
  /** Seeds the prompts' words: new for every run unless given, and stored with the run so that it can be repeated. */
  seed: z.number().int().default(newPromptSeed),
});

const fileInput = z.strictObject({
  kind: z.literal('file'),
  path: z.string().min(1),
  maxTokens: positiveInt.optional(),
});

export const INPUT_KINDS = ['synthetic', 'file'] as const;

/** The forms of a load's input, by `kind`. */
export const INPUT_VARIANTS = [syntheticInput, fileInput] as const;

export const inputSchema = z.discriminatedUnion('kind', INPUT_VARIANTS);
export type SyntheticInputConfig = z.infer<typeof syntheticInput>;

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
    seed: newPromptSeed(),
  })),
  slo: z.array(z.string()).default([]),
  thresholds: z.array(z.string()).default([]),
  /** The server's Prometheus metrics to scrape during the run: a URL, `off`, or (absent) the target's /metrics when it answers. */
  serverMetrics: z.union([z.literal('off'), z.url({ protocol: /^https?$/ })]).optional(),
});

export type TargetConfig = z.infer<typeof targetSchema>;
export type OpenAiTargetConfig = z.infer<typeof openAiTarget>;
export type GgufTargetConfig = z.infer<typeof ggufTarget>;
export type HttpTargetConfig = z.infer<typeof httpTarget>;
export type BuiltinTargetConfig = z.infer<typeof builtinTarget>;
export type CustomTargetConfig = z.infer<typeof customTarget>;
export type LoadConfig = z.infer<typeof loadSchema>;
export type InputConfig = z.infer<typeof inputSchema>;
export type BenchConfig = z.infer<typeof benchConfigSchema>;
export type RunPortion = { fraction: number } | { ms: number };
