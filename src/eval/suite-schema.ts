import { z } from 'zod';
import { RUBRIC_FORMS, rubricOf } from '../accuracy/rubric.js';
import { durationMs, positiveInt } from '../config/fields.js';
import { targetSchema } from '../targets/target-schema.js';
import { robustnessSchema } from './robustness/robustness-schema.js';
import { scorerSchema } from './scorers/scorer-schema.js';

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
    scorers: z.array(scorerSchema).min(1),
    run: runSettings.default({ concurrency: 4, retries: 3, retryBaseDelay: 500, repeats: 1, seed: 1, cache: true }),
    thresholds: z.array(z.string()).default([]),
    /** Perturbed copies of every case, scored beside the originals (docs/robustness.md). */
    robustness: robustnessSchema.optional(),
    /** How people rate this suite's outputs with `yardstick rate create` (docs/human-eval.md). */
    rating: z
      .strictObject({
        rubric: z
          .string()
          .refine((text) => text !== 'pairwise' && rubricOf(text) !== null, {
            message: `not a rubric: use ${RUBRIC_FORMS} (a pairwise task comes from rate create --against)`,
          })
          .optional(),
        /** What raters are asked, shown above every item. */
        question: z.string().min(1).optional(),
      })
      .optional(),
  })
  .refine((s) => (s.dataset === undefined) !== (s.cases === undefined), {
    message: "give exactly one of 'dataset' or 'cases'",
    path: ['dataset'],
  });

export type SuiteConfig = z.infer<typeof suiteSchema>;
export type PromptConfig = z.infer<typeof prompt>;
export type RunSettings = z.infer<typeof runSettings>;
