import { docsFrom, labelIndex, loadRows, rowId, text, type DocOrProblem, type SplitFiles } from '../load-rows.js';
import type { TaskDoc, TaskLoadOptions, TaskMetricName, TaskSpec } from '../task.js';
import { validationTaskSpec } from '../validation-task.js';

/** One GLUE task: where its splits live, and lm-evaluation-harness's prompt and answer choices for it. */
interface GlueTaskDefinition {
  name: string;
  /** Folder of the original release under `glue/`. */
  folder: string;
  /** Config name in the `nyu-mll/glue` repository. */
  config: string;
  /** File names of the evaluated split: original, and the hub's split name. */
  evalFile: { original: string; hub: string };
  tsvColumns?: readonly string[];
  choices: readonly string[];
  metrics: TaskMetricName[];
  /** The prompt and the gold choice index (or value, for STS-B) of one row; a string explains a bad row. */
  toDoc: (f: Record<string, unknown>) => { text: string; gold: number } | { problem: string; field: string };
  regression?: boolean;
  citation: string;
}

const NO_YES = ['no', 'yes'] as const;
const BINARY: Record<string, number> = { '0': 0, '1': 1 };
/** GLUE's NLI label coding in the Hugging Face files; the original TSVs spell the labels out. */
const ENTAILMENT_2: Record<string, number> = { '0': 0, '1': 1, entailment: 0, not_entailment: 1 };
const ENTAILMENT_3: Record<string, number> = { '0': 0, '1': 1, '2': 2, entailment: 0, neutral: 1, contradiction: 2 };

function gold(
  value: unknown,
  table: Record<string, number>,
  field: string,
): number | { problem: string; field: string } {
  const index = labelIndex(value, table);
  return index === null
    ? { problem: `label '${text(value)}' is not one of ${Object.keys(table).join(', ')}`, field }
    : index;
}

function withGold(
  textValue: string,
  label: number | { problem: string; field: string },
): { text: string; gold: number } | { problem: string; field: string } {
  return typeof label === 'number' ? { text: textValue, gold: label } : label;
}

/** MNLI's hypothesis gets a full stop when it has none (lm-evaluation-harness's `doc_to_text`). */
function sentence(hypothesis: string): string {
  const stripped = hypothesis.trim();
  return stripped.endsWith('.') ? stripped : `${stripped}.`;
}

const TASKS: GlueTaskDefinition[] = [
  {
    name: 'cola',
    folder: 'CoLA',
    config: 'cola',
    evalFile: { original: 'dev.tsv', hub: 'validation' },
    tsvColumns: ['source', 'label', 'original_mark', 'sentence'],
    choices: NO_YES,
    metrics: ['mcc'],
    toDoc: (f) =>
      withGold(
        `${text(f.sentence)}\nQuestion: Does this sentence make sense?\nAnswer:`,
        gold(f.label, BINARY, 'label'),
      ),
    citation: 'lm-evaluation-harness `cola` (tasks/glue/cola/default.yaml)',
  },
  {
    name: 'sst2',
    folder: 'SST-2',
    config: 'sst2',
    evalFile: { original: 'dev.tsv', hub: 'validation' },
    choices: ['negative', 'positive'],
    metrics: ['acc'],
    toDoc: (f) =>
      withGold(
        `${text(f.sentence)}\nQuestion: Is this sentence positive or negative?\nAnswer:`,
        gold(f.label, BINARY, 'label'),
      ),
    citation: 'lm-evaluation-harness `sst2` (tasks/glue/sst2/default.yaml)',
  },
  {
    name: 'mrpc',
    folder: 'MRPC',
    config: 'mrpc',
    evalFile: { original: 'dev.tsv', hub: 'validation' },
    choices: NO_YES,
    metrics: ['acc', 'f1'],
    toDoc: (f) =>
      withGold(
        `Sentence 1: ${text(f.sentence1 ?? f['#1 String'])}\nSentence 2: ${text(f.sentence2 ?? f['#2 String'])}\nQuestion: Do both sentences mean the same thing?\nAnswer:`,
        gold(f.label ?? f.Quality, BINARY, 'label'),
      ),
    citation: 'lm-evaluation-harness `mrpc` (tasks/glue/mrpc/default.yaml)',
  },
  {
    name: 'qqp',
    folder: 'QQP',
    config: 'qqp',
    evalFile: { original: 'dev.tsv', hub: 'validation' },
    choices: NO_YES,
    metrics: ['acc', 'f1'],
    toDoc: (f) =>
      withGold(
        `Question 1: ${text(f.question1)}\nQuestion 2: ${text(f.question2)}\nQuestion: Do both questions ask the same thing?\nAnswer:`,
        gold(f.label ?? f.is_duplicate, BINARY, 'label'),
      ),
    citation: 'lm-evaluation-harness `qqp` (tasks/glue/qqp/default.yaml)',
  },
  {
    name: 'stsb',
    folder: 'STS-B',
    config: 'stsb',
    evalFile: { original: 'dev.tsv', hub: 'validation' },
    choices: ['0', '1', '2', '3', '4', '5'],
    metrics: ['pearson', 'spearman'],
    regression: true,
    toDoc: (f) => {
      const score = Number(f.label ?? f.score);
      if (!Number.isFinite(score) || score < 0 || score > 5)
        return { problem: `similarity '${text(f.label ?? f.score)}' is not a number from 0 to 5`, field: 'score' };
      return {
        text: `Sentence 1: ${text(f.sentence1)}\nSentence 2: ${text(f.sentence2)}\nQuestion: On a scale from 0 to 5, how similar in meaning are the two sentences?\nAnswer:`,
        gold: score,
      };
    },
    citation:
      'defined by yardstick (lm-evaluation-harness has no default STS-B task): the similarity is the expected value of the scale points 0–5 under the model',
  },
  {
    name: 'mnli',
    folder: 'MNLI',
    config: 'mnli',
    evalFile: { original: 'dev_matched.tsv', hub: 'validation_matched' },
    choices: ['True', 'Neither', 'False'],
    metrics: ['acc'],
    toDoc: (f) =>
      withGold(
        `${text(f.premise ?? f.sentence1)}\nQuestion: ${sentence(text(f.hypothesis ?? f.sentence2))} True, False or Neither?\nAnswer:`,
        gold(f.label ?? f.gold_label, ENTAILMENT_3, 'label'),
      ),
    citation: 'lm-evaluation-harness `mnli` (tasks/glue/mnli/default.yaml, utils.doc_to_text)',
  },
  {
    name: 'mnli_mismatch',
    folder: 'MNLI',
    config: 'mnli',
    evalFile: { original: 'dev_mismatched.tsv', hub: 'validation_mismatched' },
    choices: ['True', 'Neither', 'False'],
    metrics: ['acc'],
    toDoc: (f) =>
      withGold(
        `${text(f.premise ?? f.sentence1)}\nQuestion: ${sentence(text(f.hypothesis ?? f.sentence2))} True, False or Neither?\nAnswer:`,
        gold(f.label ?? f.gold_label, ENTAILMENT_3, 'label'),
      ),
    citation: 'lm-evaluation-harness `mnli_mismatch` (tasks/glue/mnli/mismatch.yaml)',
  },
  {
    name: 'qnli',
    folder: 'QNLI',
    config: 'qnli',
    evalFile: { original: 'dev.tsv', hub: 'validation' },
    choices: ['yes', 'no'],
    metrics: ['acc'],
    toDoc: (f) =>
      withGold(
        `${text(f.question)}\n${text(f.sentence)}\nQuestion: Does this response answer the question?\nAnswer:`,
        gold(f.label, ENTAILMENT_2, 'label'),
      ),
    citation: 'lm-evaluation-harness `qnli` (tasks/glue/qnli/default.yaml)',
  },
  {
    name: 'rte',
    folder: 'RTE',
    config: 'rte',
    evalFile: { original: 'dev.tsv', hub: 'validation' },
    choices: ['True', 'False'],
    metrics: ['acc'],
    toDoc: (f) =>
      withGold(
        `${text(f.sentence1)}\nQuestion: ${text(f.sentence2)} True or False?\nAnswer:`,
        gold(f.label, ENTAILMENT_2, 'label'),
      ),
    citation: 'lm-evaluation-harness `rte` (tasks/glue/rte/default.yaml)',
  },
  {
    name: 'wnli',
    folder: 'WNLI',
    config: 'wnli',
    evalFile: { original: 'dev.tsv', hub: 'validation' },
    choices: ['False', 'True'],
    metrics: ['acc'],
    toDoc: (f) =>
      withGold(
        `${text(f.sentence1)}\nQuestion: ${text(f.sentence2)} True or False?\nAnswer:`,
        gold(f.label, BINARY, 'label'),
      ),
    citation: 'lm-evaluation-harness `wnli` (tasks/glue/wnli/default.yaml)',
  },
];

function splitFiles(task: GlueTaskDefinition, split: 'eval' | 'train'): SplitFiles {
  const original = split === 'eval' ? task.evalFile.original : 'train.tsv';
  const hubSplit = split === 'eval' ? task.evalFile.hub : 'train';
  return {
    original: [`glue/${task.folder}/${original}`, `glue/${task.folder}/${hubSplit}.parquet`],
    hub: { repo: 'nyu-mll/glue', path: `${task.config}/${hubSplit}-00000-of-00001.parquet` },
    ...(task.tsvColumns === undefined ? {} : { tsvColumns: task.tsvColumns }),
  };
}

async function readDocs(
  task: GlueTaskDefinition,
  options: TaskLoadOptions,
  split: 'eval' | 'train',
): Promise<{ docs: TaskDoc[]; origin: string }> {
  const file = await loadRows(
    options.source,
    splitFiles(task, split),
    `GLUE ${task.name} (${split === 'eval' ? task.evalFile.hub : 'train'})`,
  );
  const docs = docsFrom(file, (fields, where, line): DocOrProblem => {
    const made = task.toDoc(fields);
    if ('problem' in made) return made;
    const choices = [...task.choices];
    return {
      id: rowId(fields, line),
      where,
      text: made.text,
      choices,
      labels: choices,
      gold: task.regression === true ? [] : [made.gold],
      ...(task.regression === true ? { goldValue: made.gold } : {}),
    };
  });
  return { docs, origin: file.origin };
}

export const GLUE_TASKS: readonly TaskSpec[] = TASKS.map((task) =>
  validationTaskSpec({
    name: task.name,
    benchmark: 'glue',
    metrics: task.metrics,
    regression: task.regression === true,
    targetDelimiter: ' ',
    citation: task.citation,
    readDocs: (options, split) => readDocs(task, options, split === 'validation' ? 'eval' : 'train'),
  }),
);
