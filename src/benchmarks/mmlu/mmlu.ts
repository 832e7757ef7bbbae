import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { usageError } from '../../core/errors.js';
import { hubFile, locateFile, type DataSource } from '../data-files.js';
import { readJsonOrParquet, readMmluCsv, type MmluRow } from '../readers.js';
import type { LoadedTask, TaskDoc, TaskLoadOptions, TaskSpec } from '../task.js';
import { MMLU_SUBJECT_NAMES, MMLU_SUBJECTS } from './subjects.js';

const LETTERS = ['A', 'B', 'C', 'D'];

/** MMLU's split names in the original release's folders and in the Hugging Face layout. */
const SPLITS: Record<string, { folder: string; hub: string }> = {
  test: { folder: 'test', hub: 'test' },
  validation: { folder: 'val', hub: 'validation' },
  dev: { folder: 'dev', hub: 'dev' },
};

interface SubjectRow extends MmluRow {
  subject: string;
  where: string;
}

/** lm-evaluation-harness's MMLU prompt: the stripped question, the four options as `A. …`, then `Answer:`. */
function docOf(row: SubjectRow, index: number): TaskDoc {
  const options = row.choices.map((c, i) => `${LETTERS[i] ?? ''}. ${c}`).join('\n');
  return {
    id: `${row.subject}/${index}`,
    where: row.where,
    text: `${row.question.trim()}\n${options}\nAnswer:`,
    choices: [...LETTERS],
    gold: [row.answer],
    labels: [...LETTERS],
    subject: row.subject,
  };
}

function subjectsOf(options: TaskLoadOptions): string[] {
  if (options.subjects.length === 0) return [...MMLU_SUBJECT_NAMES];
  const unknown = options.subjects.filter((s) => MMLU_SUBJECTS[s] === undefined);
  if (unknown.length > 0)
    throw usageError(
      'MMLU_SUBJECT_UNKNOWN',
      `unknown MMLU subject${unknown.length === 1 ? '' : 's'}: ${unknown.join(', ')}`,
      `subjects are: ${MMLU_SUBJECT_NAMES.join(', ')}`,
    );
  return [...options.subjects];
}

async function readSplit(
  source: DataSource,
  split: string,
  subjects: readonly string[],
): Promise<{ rows: SubjectRow[]; origin: string }> {
  const names = SPLITS[split];
  if (names === undefined)
    throw usageError('SPLIT_UNKNOWN', `MMLU has no split '${split}'`, 'use test, validation or dev');
  const folder = source.dataDir === null ? null : join(source.dataDir, 'mmlu', names.folder);
  if (folder !== null && existsSync(folder)) {
    const rows: SubjectRow[] = [];
    for (const subject of subjects) {
      const path = join(folder, `${subject}_${names.folder}.csv`);
      if (!existsSync(path))
        throw usageError(
          'BENCHMARK_DATA_MISSING',
          `MMLU subject file ${path} is missing`,
          `the folder ${folder} should hold one <subject>_${names.folder}.csv per subject`,
        );
      for (const row of readMmluCsv(path)) rows.push({ ...row, subject, where: `${path}:${row.line}` });
    }
    return { rows, origin: folder };
  }
  const file = await locateFile(
    source,
    [],
    hubFile('cais/mmlu', `all/${names.hub}-00000-of-00001.parquet`),
    `MMLU's ${split} split`,
  );
  const wanted = new Set(subjects);
  const rows: SubjectRow[] = [];
  for (const record of await readJsonOrParquet(file.path)) {
    const f = record.fields;
    const subject = String(f.subject);
    if (!wanted.has(subject)) continue;
    const choices = Array.isArray(f.choices) ? f.choices.map(String) : [];
    if (choices.length !== 4 || typeof f.answer !== 'number')
      throw usageError(
        'DATA_INVALID',
        `${file.path}:${record.line}: expected 4 choices and a numeric answer`,
        'is this the cais/mmlu Parquet file?',
      );
    rows.push({
      line: record.line,
      question: String(f.question),
      choices: [choices[0] ?? '', choices[1] ?? '', choices[2] ?? '', choices[3] ?? ''],
      answer: f.answer,
      subject,
      where: `${file.path}:${record.line}`,
    });
  }
  return { rows, origin: file.origin };
}

/** Groups docs by subject, keeping the file order (the few-shot examples are each subject's first dev questions). */
function bySubject(docs: readonly TaskDoc[]): Map<string, TaskDoc[]> {
  const map = new Map<string, TaskDoc[]>();
  for (const doc of docs) {
    const list = map.get(doc.subject ?? '') ?? [];
    list.push(doc);
    map.set(doc.subject ?? '', list);
  }
  return map;
}

export const MMLU_TASK: TaskSpec = {
  name: 'mmlu',
  benchmark: 'mmlu',
  defaultFewshot: 5,
  async load(options: TaskLoadOptions): Promise<LoadedTask> {
    const subjects = subjectsOf(options);
    const split = options.split ?? 'test';
    const main = await readSplit(options.source, split, subjects);
    const counters = new Map<string, number>();
    const docs = main.rows.map((row) => {
      const n = counters.get(row.subject) ?? 0;
      counters.set(row.subject, n + 1);
      return docOf(row, n);
    });
    let pool = new Map<string, TaskDoc[]>();
    let fewshotOrigin = '';
    if (options.fewshot > 0) {
      const dev = await readSplit(options.source, 'dev', subjects);
      pool = bySubject(dev.rows.map((row, i) => docOf(row, i)));
      fewshotOrigin = `; few-shot from ${dev.origin}`;
    }
    return {
      name: 'mmlu',
      benchmark: 'mmlu',
      docs,
      fewshotCount: options.fewshot,
      fewshot: (doc, n) => {
        const examples = (pool.get(doc.subject ?? '') ?? []).slice(0, n);
        if (examples.length < n)
          throw usageError(
            'FEWSHOT_TOO_MANY',
            `MMLU's dev split has only ${examples.length} questions for ${doc.subject ?? ''}, fewer than --fewshot ${n}`,
            'use --fewshot 5 or less',
          );
        return examples;
      },
      description: (doc) =>
        `The following are multiple choice questions (with answers) about ${(doc.subject ?? '').replace(/_/g, ' ')}.\n\n`,
      targetDelimiter: ' ',
      fewshotDelimiter: '\n\n',
      metrics: ['acc'],
      regression: false,
      source: `${main.origin} (${split})${fewshotOrigin}`,
      citation: "lm-evaluation-harness `mmlu` (tasks/mmlu/default): the original release's prompt",
    };
  },
};
