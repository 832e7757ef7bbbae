import { usageError } from '../../core/errors.js';
import { docsFrom, loadRows } from '../load-rows.js';
import { seededSample } from '../seeded-sample.js';
import type { LoadedTask, TaskDoc, TaskLoadOptions, TaskSpec } from '../task.js';
import { SUPERGLUE_DEFINITIONS, type SuperGlueTaskDefinition } from './prompts.js';

async function readDocs(task: SuperGlueTaskDefinition, options: TaskLoadOptions, split: 'validation' | 'train'): Promise<{ docs: TaskDoc[]; origin: string }> {
  const original = split === 'validation' ? 'val' : 'train';
  const file = await loadRows(
    options.source,
    { original: [`superglue/${task.folder}/${original}.jsonl`, `superglue/${task.folder}/${split}.parquet`], hub: { repo: 'aps/super_glue', path: `${task.config}/${split}-00000-of-00001.parquet` } },
    `SuperGLUE ${task.name} (${split})`,
  );
  return { docs: docsFrom(file, task.toDocs), origin: file.origin };
}

function specOf(task: SuperGlueTaskDefinition): TaskSpec {
  return {
    name: task.name,
    benchmark: 'superglue',
    defaultFewshot: 0,
    async load(options: TaskLoadOptions): Promise<LoadedTask> {
      if (options.split !== null && options.split !== 'validation') throw usageError('SPLIT_UNKNOWN', `SuperGLUE ${task.name} is evaluated on its validation split (test labels are hidden)`, 'leave --split out or use --split validation');
      const main = await readDocs(task, options, 'validation');
      const train = options.fewshot > 0 ? await readDocs(task, options, 'train') : null;
      return {
        name: task.name,
        benchmark: 'superglue',
        docs: main.docs,
        fewshotCount: options.fewshot,
        fewshot: (doc, n) => (train === null ? [] : seededSample(train.docs, n, `${options.seed}/${task.name}/${doc.id}`)),
        description: () => '',
        targetDelimiter: task.targetDelimiter,
        fewshotDelimiter: '\n\n',
        metrics: task.metrics,
        regression: false,
        source: `${main.origin}${train === null ? '' : `; few-shot from ${train.origin}`}`,
        citation: task.citation,
      };
    },
  };
}

export const SUPERGLUE_TASKS: readonly TaskSpec[] = SUPERGLUE_DEFINITIONS.map(specOf);
