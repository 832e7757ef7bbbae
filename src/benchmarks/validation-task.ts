import { usageError } from '../core/errors.js';
import { seededSample } from './seeded-sample.js';
import type { LoadedTask, TaskDoc, TaskLoadOptions, TaskMetricName, TaskSpec } from './task.js';

/** A GLUE or SuperGLUE task: evaluated on its validation split, few-shot examples drawn from its train split. */
export interface ValidationTaskDefinition {
  name: string;
  benchmark: 'glue' | 'superglue';
  metrics: TaskMetricName[];
  regression: boolean;
  targetDelimiter: string;
  citation: string;
  /** Reads one split's documents and says where they came from. */
  readDocs: (options: TaskLoadOptions, split: 'validation' | 'train') => Promise<{ docs: TaskDoc[]; origin: string }>;
}

/** The task spec of a task whose test labels are hidden: only the validation split is evaluated. */
export function validationTaskSpec(task: ValidationTaskDefinition): TaskSpec {
  const label = task.benchmark === 'glue' ? 'GLUE' : 'SuperGLUE';
  return {
    name: task.name,
    benchmark: task.benchmark,
    defaultFewshot: 0,
    async load(options: TaskLoadOptions): Promise<LoadedTask> {
      if (options.split !== null && options.split !== 'validation')
        throw usageError(
          'SPLIT_UNKNOWN',
          `${label} ${task.name} is evaluated on its validation split (test labels are hidden)`,
          'leave --split out or use --split validation',
        );
      const main = await task.readDocs(options, 'validation');
      const train = options.fewshot > 0 ? await task.readDocs(options, 'train') : null;
      return {
        name: task.name,
        benchmark: task.benchmark,
        docs: main.docs,
        fewshotCount: options.fewshot,
        fewshot: (doc, n) =>
          train === null ? [] : seededSample(train.docs, n, `${options.seed}/${task.name}/${doc.id}`),
        description: () => '',
        targetDelimiter: task.targetDelimiter,
        fewshotDelimiter: '\n\n',
        metrics: task.metrics,
        regression: task.regression,
        source: `${main.origin}${train === null ? '' : `; few-shot from ${train.origin}`}`,
        citation: task.citation,
      };
    },
  };
}
