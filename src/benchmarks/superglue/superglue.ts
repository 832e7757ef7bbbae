import { docsFrom, loadRows } from '../load-rows.js';
import type { TaskDoc, TaskLoadOptions, TaskSpec } from '../task.js';
import { validationTaskSpec } from '../validation-task.js';
import { SUPERGLUE_DEFINITIONS, type SuperGlueTaskDefinition } from './prompts.js';

async function readDocs(
  task: SuperGlueTaskDefinition,
  options: TaskLoadOptions,
  split: 'validation' | 'train',
): Promise<{ docs: TaskDoc[]; origin: string }> {
  const original = split === 'validation' ? 'val' : 'train';
  const file = await loadRows(
    options.source,
    {
      original: [`superglue/${task.folder}/${original}.jsonl`, `superglue/${task.folder}/${split}.parquet`],
      hub: { repo: 'aps/super_glue', path: `${task.config}/${split}-00000-of-00001.parquet` },
    },
    `SuperGLUE ${task.name} (${split})`,
  );
  return { docs: docsFrom(file, task.toDocs), origin: file.origin };
}

export const SUPERGLUE_TASKS: readonly TaskSpec[] = SUPERGLUE_DEFINITIONS.map((task) =>
  validationTaskSpec({
    name: task.name,
    benchmark: 'superglue',
    metrics: task.metrics,
    regression: false,
    targetDelimiter: task.targetDelimiter,
    citation: task.citation,
    readDocs: (options, split) => readDocs(task, options, split),
  }),
);
