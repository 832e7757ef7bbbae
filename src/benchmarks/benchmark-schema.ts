import { z } from 'zod';
import { positiveInt } from '../config/fields.js';
import { targetSchema } from '../targets/target-schema.js';
import { runSettings } from '../eval/suite-schema.js';

const mode = z.enum(['loglikelihood', 'choice', 'generate']);

/** A user's own multiple-choice task: a dataset, a prompt template over its columns, the choices and the gold column. */
export const customTaskSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9_-]+$/, 'use letters, digits, _ and - only'),
  /** CSV, TSV, JSONL or Parquet, relative to the config file. */
  dataset: z.string().min(1),
  /** The prompt, with `{{column}}` placeholders; end it where the answer starts (e.g. `Answer:`). */
  text: z.string().min(1),
  /** The answer choices: a list, or the name of a column holding each row's list. */
  choices: z.union([z.array(z.string()).min(2), z.string().min(1)]),
  /** Column with the gold answer: one of the choices, or its index from 0. */
  answer: z.string().min(1),
  /** What `choice` and `generate` mode ask the model to name (default: the choices themselves). */
  labels: z.array(z.string()).min(2).optional(),
  description: z.string().default(''),
  /** Examples for few-shot prompts (same columns), taken in order; relative to the config file. */
  fewshotDataset: z.string().min(1).optional(),
  targetDelimiter: z.string().default(' '),
  metrics: z
    .array(z.enum(['acc', 'mcc', 'f1', 'macro_f1']))
    .min(1)
    .default(['acc']),
});

export const benchmarkSchema = z.strictObject({
  /** Task or benchmark names (`mmlu`, `glue`, `superglue`, `cola`, `boolq`, …) and custom tasks. */
  tasks: z.array(z.union([z.string().min(1), customTaskSchema])).min(1),
  /** One mode, or several to run each and report how often they agree; default by target kind. */
  mode: z.union([mode, z.array(mode).min(1)]).optional(),
  /** Few-shot examples per prompt; default 5 for MMLU, 0 for the others. */
  fewshot: z.number().int().min(0).max(64).optional(),
  split: z.string().min(1).optional(),
  /** MMLU: only these subjects. */
  subjects: z.array(z.string().min(1)).default([]),
  /** Folder with local copies of the data, relative to the config file. */
  dataDir: z.string().min(1).optional(),
  offline: z.boolean().default(false),
  /** Documents per task (per MMLU subject): the first N, as lm-evaluation-harness's --limit. */
  limit: positiveInt.optional(),
  /** `choice` and `generate`: the output budget (default 32 and 512 tokens). */
  maxTokens: positiveInt.optional(),
  /** `generate`: a regular expression whose first group is the answer (default: the word after "answer is"). */
  extract: z.string().min(1).optional(),
});

export const benchmarkSuiteSchema = z.strictObject({
  name: z.string().min(1).optional(),
  description: z.string().optional(),
  benchmark: benchmarkSchema,
  targets: z.array(targetSchema).min(1),
  run: runSettings.default({ concurrency: 4, retries: 3, retryBaseDelay: 500, repeats: 1, seed: 1, cache: true }),
  thresholds: z.array(z.string()).default([]),
});

export type BenchmarkSuiteConfig = z.infer<typeof benchmarkSuiteSchema>;
export type BenchmarkConfig = z.infer<typeof benchmarkSchema>;
export type CustomTaskConfig = z.infer<typeof customTaskSchema>;
