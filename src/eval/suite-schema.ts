import { z } from 'zod';
import { durationMs, positiveInt, targetSchema } from '../config/schema.js';

const message = z.strictObject({
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string(),
});

const inlineCase = z.record(z.string(), z.unknown());

const fewShot = z.strictObject({
  /** Example cases: a data file (relative to the suite) or inline rows with the dataset's columns. */
  path: z.string().min(1).optional(),
  cases: z.array(inlineCase).optional(),
  /** How many examples precede each case (the first N). */
  count: positiveInt.optional(),
  /** Template of one example; in text prompts the examples are joined with `separator` before the case. */
  template: z.string().min(1),
  separator: z.string().default('\n\n'),
});

const prompt = z
  .strictObject({
    /** Plain-text prompt (completions targets, or one user message for chat targets). */
    text: z.string().min(1).optional(),
    /** Chat messages; each content is a template. */
    messages: z.array(message).min(1).optional(),
    fewShot: fewShot.optional(),
    maxTokens: positiveInt.optional(),
    /** Extra body fields for every request, e.g. { temperature: 0 }. */
    body: z.record(z.string(), z.unknown()).default({}),
  })
  .refine((p) => (p.text === undefined) !== (p.messages === undefined), {
    message: "give exactly one of 'text' or 'messages'",
  });

const bound = z.number();
const common = { name: z.string().min(1).optional(), weight: z.number().nonnegative().default(1) };

const scorer = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('equals'),
    value: z.string().optional(),
    ignoreCase: z.boolean().default(false),
    trim: z.boolean().default(true),
    ...common,
  }),
  z.strictObject({ type: z.enum(['contains', 'icontains']), value: z.string().optional(), ...common }),
  z.strictObject({ type: z.literal('regex'), pattern: z.string().min(1), flags: z.string().default(''), ...common }),
  z.strictObject({
    type: z.literal('choice'),
    choices: z.array(z.string().min(1)).min(2),
    /** first: the first choice named anywhere; strict: the whole answer must be a choice (case and punctuation aside). */
    extract: z.enum(['strict', 'first']).default('first'),
    ...common,
  }),
  z.strictObject({ type: z.literal('json'), ...common }),
  z.strictObject({ type: z.literal('json-schema'), schema: z.record(z.string(), z.unknown()), ...common }),
  z.strictObject({
    type: z.literal('numeric'),
    value: z.string().optional(),
    tolerance: z.number().nonnegative().default(0),
    relative: z.boolean().default(false),
    ...common,
  }),
  z.strictObject({
    type: z.literal('length'),
    min: bound.int().nonnegative().optional(),
    max: bound.int().positive().optional(),
    unit: z.enum(['chars', 'words']).default('chars'),
    ...common,
  }),
  z.strictObject({
    type: z.literal('latency'),
    max: durationMs,
    metric: z.enum(['e2e', 'ttft']).default('e2e'),
    ...common,
  }),
  z.strictObject({ type: z.literal('cost'), max: z.number().nonnegative(), ...common }),
  z.strictObject({
    type: z.literal('similarity'),
    metric: z.enum(['token-f1', 'rouge-l']).default('token-f1'),
    value: z.string().optional(),
    min: z.number().min(0).max(1),
    ...common,
  }),
  z.strictObject({
    type: z.literal('judge'),
    target: targetSchema,
    rubric: z.string().min(1),
    /** The judge's prompt; {{rubric}}, {{input}}, {{output}}, {{expected}} and the case's columns are filled in. */
    prompt: z.string().min(1).optional(),
    scale: z.tuple([z.number(), z.number()]).default([1, 5]),
    /** Lowest judge score that passes; default the scale's upper half. */
    passAt: z.number().optional(),
    maxTokens: positiveInt.default(256),
    ...common,
  }),
  z.strictObject({
    type: z.literal('custom'),
    module: z.string().min(1),
    export: z.string().min(1).default('default'),
    ...common,
  }),
]);

/** Every scorer `type` the schema accepts, read from the schema itself. */
export function scorerTypesOfSchema(): string[] {
  return scorer.options.flatMap((variant) => {
    const type = variant.shape.type;
    return type instanceof z.ZodEnum ? type.options : [...type.values].map(String);
  });
}

export const runSettings = z.strictObject({
  concurrency: positiveInt.max(1024).default(4),
  /** Upper bound on requests started per second; none by default. */
  ratePerS: z.number().positive().optional(),
  retries: z.number().int().min(0).max(20).default(3),
  /** First backoff delay; doubles each retry, with full jitter, capped at 30 s. */
  retryBaseDelay: durationMs.default(500),
  repeats: positiveInt.max(1000).default(1),
  seed: z.number().int().default(1),
  cache: z.boolean().default(true),
});

export const suiteSchema = z
  .strictObject({
    name: z.string().min(1),
    description: z.string().optional(),
    /** A data file relative to the suite file (CSV, TSV, JSONL or Parquet), or `builtin:DATASET/SPLIT` (a reference dataset's split). */
    dataset: z.string().min(1).optional(),
    /** Inline cases: rows with the same columns a dataset would have. */
    cases: z.array(inlineCase).min(1).optional(),
    /** Column holding each case's id (default: `id` when present, else the row number). */
    idColumn: z.string().min(1).optional(),
    /** Column with the expected answer (default `expected`). */
    expectedColumn: z.string().min(1).default('expected'),
    /** Column with tags (a list, or text separated by commas). */
    tagsColumn: z.string().min(1).default('tags'),
    /** Column with each case's weight in the pass rate (default 1). */
    weightColumn: z.string().min(1).default('weight'),
    prompt,
    /** Required unless the caller brings a target of its own (the library's `runEval` with a `Target`). */
    targets: z.array(targetSchema).default([]),
    scorers: z.array(scorer).min(1),
    run: runSettings.default({ concurrency: 4, retries: 3, retryBaseDelay: 500, repeats: 1, seed: 1, cache: true }),
    thresholds: z.array(z.string()).default([]),
  })
  .refine((s) => (s.dataset === undefined) !== (s.cases === undefined), {
    message: "give exactly one of 'dataset' or 'cases'",
    path: ['dataset'],
  });

export type SuiteConfig = z.infer<typeof suiteSchema>;
export type ScorerConfig = z.infer<typeof scorer>;
export type PromptConfig = z.infer<typeof prompt>;
export type RunSettings = z.infer<typeof runSettings>;
