import type { DataSource } from './data-files.js';

/**
 * What a benchmark task is: documents from a dataset, and how each becomes a prompt, a set of answer choices and
 * a gold answer — the shape lm-evaluation-harness gives its multiple-choice tasks, so numbers are comparable.
 */

/** One row of a task's dataset, ready to prompt with. */
export interface TaskDoc {
  /** Unique within the task, e.g. the dataset's `idx` or the row number. */
  id: string;
  /** `file:line` (or `file:row`) of the row, for error messages. */
  where: string;
  /** The prompt the model continues (description and few-shot examples are added around it). */
  text: string;
  /**
   * Continuations scored in `loglikelihood` mode, without the target delimiter. For regression tasks (STS-B) the
   * choices are the points of the scale.
   */
  choices: string[];
  /** Indices into `choices` of every correct answer (several for ReCoRD); empty for regression tasks. */
  gold: number[];
  /** The short answers a model names in `choice` and `generate` mode, one per choice (e.g. `A`…`D`, `yes`/`no`). */
  labels: string[];
  /** The prompt for `choice` and `generate` mode when it must differ from `text` (e.g. it lists the options). */
  askText?: string;
  /** The gold value of a regression task (STS-B similarity, 0–5). */
  goldValue?: number;
  /** Cases scored together: a MultiRC question (its answers), else null. */
  group?: string;
  /** Grouping for per-subject results (an MMLU subject); the task name otherwise. */
  subject?: string;
  /** Gold answer texts for ReCoRD's F1 and exact match. */
  goldTexts?: string[];
  /** Text of each choice scored by ReCoRD's F1 and exact match (the entity, not the whole filled-in query). */
  choiceTexts?: string[];
}

/** Metrics a task reports, named as lm-evaluation-harness names them where it has them. */
export type TaskMetricName =
  'acc' | 'acc_norm' | 'mcc' | 'f1' | 'macro_f1' | 'f1a' | 'em' | 'record_f1' | 'record_em' | 'pearson' | 'spearman';

/** A loaded task: its documents, few-shot pool and how to present them. */
export interface LoadedTask {
  name: string;
  /** The benchmark it belongs to (`mmlu`, `glue`, `superglue`, or a user's own). */
  benchmark: string;
  docs: TaskDoc[];
  /** Few-shot examples each prompt gets. */
  fewshotCount: number;
  /** The `n` few-shot examples for a document, from a split other than the evaluated one (MMLU: its subject's dev questions, in order). */
  fewshot: (doc: TaskDoc, n: number) => TaskDoc[];
  /** Text before the few-shot examples and the question; may depend on the document (MMLU names its subject). */
  description: (doc: TaskDoc) => string;
  /** Between a prompt and its answer: `' '` for most tasks, `''` for ReCoRD. */
  targetDelimiter: string;
  /** Between few-shot examples. */
  fewshotDelimiter: string;
  metrics: TaskMetricName[];
  /** Regression tasks predict a number (the expected value over the scale's points) instead of a choice. */
  regression: boolean;
  /** Where the data came from (files read, or the hub revision downloaded), recorded in the run. */
  source: string;
  /** lm-evaluation-harness's task name, or a note on how the prompt was defined. */
  citation: string;
}

/** How a task is asked to load. */
export interface TaskLoadOptions {
  source: DataSource;
  /** The split to evaluate; each task has a default (MMLU `test`, GLUE and SuperGLUE `validation`). */
  split: string | null;
  /** Few-shot examples per prompt (loads the few-shot split only when above 0). */
  fewshot: number;
  /** MMLU only: the subjects to evaluate (all 57 when empty). */
  subjects: readonly string[];
  seed: number;
}

/** A task yardstick knows by name. */
export interface TaskSpec {
  name: string;
  benchmark: string;
  /** Few-shot examples used when the user gives no --fewshot. */
  defaultFewshot: number;
  load(options: TaskLoadOptions): Promise<LoadedTask>;
}
