import { labelIndex, rowId, text, type DocOrProblem } from '../load-rows.js';
import type { TaskMetricName } from '../task.js';

/**
 * SuperGLUE's documents, prompts and answer choices as lm-evaluation-harness defines them (tasks/super_glue/*):
 * each function reads a row of the original JSONL or of the `aps/super_glue` Parquet and returns its documents.
 */
type Fields = Record<string, unknown>;
type ToDocs = (f: Fields, where: string, line: number) => DocOrProblem | DocOrProblem[];

const NO_YES = ['no', 'yes'];
const BOOL: Record<string, number> = { false: 0, true: 1, '0': 0, '1': 1 };
const CB_LABELS: Record<string, number> = { entailment: 0, contradiction: 1, neutral: 2, '0': 0, '1': 1, '2': 2 };
const RTE_LABELS: Record<string, number> = { entailment: 0, not_entailment: 1, '0': 0, '1': 1 };

function bad(field: string, value: unknown, table: Record<string, number>): DocOrProblem {
  return { problem: `label '${text(value)}' is not one of ${Object.keys(table).join(', ')}`, field };
}

function simple(
  f: Fields,
  where: string,
  line: number,
  body: string,
  choices: string[],
  table: Record<string, number>,
): DocOrProblem {
  const gold = labelIndex(f.label, table);
  if (gold === null) return bad('label', f.label, table);
  return { id: rowId(f, line), where, text: body, choices, labels: choices, gold: [gold] };
}

/** lm-evaluation-harness's `general_detokenize`: rejoins the spacing a tokenizer put around punctuation. */
export function generalDetokenize(value: string): string {
  return value
    .replace(/ n't/g, "n't")
    .replace(/ \)/g, ')')
    .replace(/\( /g, '(')
    .replace(/" /g, '"')
    .replace(/ "/g, '"')
    .replace(/ (['.,])/g, '$1');
}

/** Characters `start`–`end` of a sentence, counted in code points as the dataset's Python offsets are. */
function slice(value: string, start: unknown, end: unknown): string {
  return Array.from(value).slice(Number(start), Number(end)).join('');
}

const boolq: ToDocs = (f, where, line) =>
  simple(f, where, line, `${text(f.passage)}\nQuestion: ${text(f.question)}?\nAnswer:`, NO_YES, BOOL);

const cb: ToDocs = (f, where, line) =>
  simple(
    f,
    where,
    line,
    `${text(f.premise)}\nQuestion: ${text(f.hypothesis)}. True, False, or Neither?\nAnswer:`,
    ['True', 'False', 'Neither'],
    CB_LABELS,
  );

const rte: ToDocs = (f, where, line) =>
  simple(
    f,
    where,
    line,
    `${text(f.premise)}\nQuestion: ${text(f.hypothesis)} True or False?\nAnswer:`,
    ['True', 'False'],
    RTE_LABELS,
  );

const wic: ToDocs = (f, where, line) => {
  const word = slice(text(f.sentence1), f.start1, f.end1);
  return simple(
    f,
    where,
    line,
    `Sentence 1: ${text(f.sentence1)}\nSentence 2: ${text(f.sentence2)}\nQuestion: Is the word '${word}' used in the same way in the two sentences above?\nAnswer:`,
    NO_YES,
    BOOL,
  );
};

function lowerFirst(value: string): string {
  return value.length === 0 ? value : value[0]?.toLowerCase() + value.slice(1);
}

const copa: ToDocs = (f, where, line) => {
  const connector = f.question === 'cause' ? 'because' : f.question === 'effect' ? 'therefore' : null;
  if (connector === null)
    return { problem: `question '${text(f.question)}' is neither cause nor effect`, field: 'question' };
  const premise = text(f.premise).trim();
  const gold = labelIndex(f.label, { '0': 0, '1': 1 });
  if (gold === null) return bad('label', f.label, { '0': 0, '1': 1 });
  const options = [text(f.choice1), text(f.choice2)];
  return {
    id: rowId(f, line),
    where,
    text: `${premise.slice(0, -1)} ${connector}`,
    choices: options.map(lowerFirst),
    labels: ['1', '2'],
    gold: [gold],
    askText: `${premise}\nWhat was the ${text(f.question)}?\n1. ${options[0] ?? ''}\n2. ${options[1] ?? ''}\nAnswer:`,
  };
};

function multircDoc(
  paragraph: string,
  question: string,
  answer: string,
  label: unknown,
  ids: [unknown, unknown, unknown],
  where: string,
): DocOrProblem {
  const correct = labelIndex(label, BOOL);
  if (correct === null) return bad('label', label, BOOL);
  return {
    id: ids.map(String).join('/'),
    where,
    text: `${paragraph}\nQuestion: ${question}\nAnswer:`,
    choices: [`${answer}\nIs the answer correct? yes`, `${answer}\nIs the answer correct? no`],
    labels: ['yes', 'no'],
    // Label 1 marks a correct answer, i.e. the "yes" choice.
    gold: [correct === 1 ? 0 : 1],
    askText: `${paragraph}\nQuestion: ${question}\nCandidate answer: ${answer}\nIs the answer correct?\nAnswer:`,
    group: `${String(ids[0])}/${String(ids[1])}`,
  };
}

type Json = Record<string, unknown>;
const asObject = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});
const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Original JSONL: one passage per line with its questions and answers; Parquet: one answer per row. */
const multirc: ToDocs = (f, where) => {
  if (typeof f.paragraph === 'string') {
    const idx = asObject(f.idx);
    return multircDoc(
      f.paragraph,
      text(f.question),
      text(f.answer),
      f.label,
      [idx.paragraph, idx.question, idx.answer],
      where,
    );
  }
  const passage = asObject(f.passage);
  const paragraph = text(passage.text);
  return asList(passage.questions).flatMap((q) => {
    const question = asObject(q);
    return asList(question.answers).map((a) => {
      const answer = asObject(a);
      return multircDoc(
        paragraph,
        text(question.question),
        text(answer.text),
        answer.label,
        [f.idx, question.idx, answer.idx],
        where,
      );
    });
  });
};

function recordDoc(
  passage: string,
  query: string,
  entities: string[],
  answers: string[],
  id: string,
  where: string,
): DocOrProblem {
  const unique = [...new Set(entities)].sort();
  const golds = [...new Set(answers)].sort();
  const gold = unique.flatMap((e, i) => (golds.includes(e) ? [i] : []));
  if (gold.length === 0) return { problem: "no answer is among the passage's entities", field: 'answers' };
  const [initial = '', ...highlights] = passage.trim().split('\n@highlight\n');
  const body = `${initial}\n\n${highlights.map((h) => `  - ${h}.\n`).join('')}`;
  return {
    id,
    where,
    text: body,
    choices: unique.map((e) => `  - ${query.replace(/@placeholder/g, e)}`),
    labels: unique,
    gold,
    askText: `${body}\nQuery: ${query}\nWhich entity should replace @placeholder? Options: ${unique.join(' | ')}\nAnswer:`,
    goldTexts: golds,
    choiceTexts: unique,
  };
}

/** Original JSONL: a passage with character spans of its entities and several queries; Parquet: one query per row. */
const record: ToDocs = (f, where) => {
  if (typeof f.passage === 'string') {
    const idx = asObject(f.idx);
    return recordDoc(
      f.passage,
      text(f.query),
      asList(f.entities).map(text),
      asList(f.answers).map(text),
      `${String(idx.passage)}/${String(idx.query)}`,
      where,
    );
  }
  const passage = asObject(f.passage);
  const body = text(passage.text);
  const entities = asList(passage.entities).map((e) => {
    const span = asObject(e);
    return Array.from(body)
      .slice(Number(span.start), Number(span.end) + 1)
      .join('');
  });
  return asList(f.qas).map((q) => {
    const qa = asObject(q);
    return recordDoc(
      body,
      text(qa.query),
      entities,
      asList(qa.answers).map((a) => text(asObject(a).text)),
      `${String(f.idx)}/${String(qa.idx)}`,
      where,
    );
  });
};

/** The original JSONL nests the spans under `target`; the Parquet has them at the top level. */
const wsc: ToDocs = (f, where, line) => {
  const target = { ...f, ...asObject(f.target) };
  const raw = text(target.text);
  const pronoun = text(target.span2_text);
  const pre = raw
    .split(/\s+/)
    .filter((w) => w !== '')
    .slice(0, Number(target.span2_index))
    .join(' ');
  const post = raw.slice(pre.length + pronoun.length + 1);
  const passage = generalDetokenize(`${pre} *${pronoun}*${post}`);
  const body = `Passage: ${passage}\nQuestion: In the passage above, does the pronoun "*${pronoun}*" refer to "*${text(target.span1_text)}*"?\nAnswer:`;
  return simple(f, where, line, body, NO_YES, BOOL);
};

export interface SuperGlueTaskDefinition {
  name: string;
  folder: string;
  config: string;
  toDocs: ToDocs;
  metrics: TaskMetricName[];
  targetDelimiter: string;
  citation: string;
}

export const SUPERGLUE_DEFINITIONS: readonly SuperGlueTaskDefinition[] = [
  {
    name: 'boolq',
    folder: 'BoolQ',
    config: 'boolq',
    toDocs: boolq,
    metrics: ['acc'],
    targetDelimiter: ' ',
    citation: 'lm-evaluation-harness `boolq` (tasks/super_glue/boolq/default.yaml)',
  },
  {
    name: 'cb',
    folder: 'CB',
    config: 'cb',
    toDocs: cb,
    metrics: ['acc', 'macro_f1'],
    targetDelimiter: ' ',
    citation: 'lm-evaluation-harness `cb` (tasks/super_glue/cb/default.yaml; F1 as aggregate.cb_multi_fi)',
  },
  {
    name: 'copa',
    folder: 'COPA',
    config: 'copa',
    toDocs: copa,
    metrics: ['acc'],
    targetDelimiter: ' ',
    citation: 'lm-evaluation-harness `copa` (tasks/super_glue/copa/utils.py)',
  },
  {
    name: 'multirc',
    folder: 'MultiRC',
    config: 'multirc',
    toDocs: multirc,
    metrics: ['acc', 'f1a', 'em'],
    targetDelimiter: ' ',
    citation:
      'lm-evaluation-harness `multirc` (tasks/super_glue/multirc/default.yaml), with label 1 (a correct answer) scored as the "yes" choice; F1a and EM as the official SuperGLUE scorer',
  },
  {
    name: 'record',
    folder: 'ReCoRD',
    config: 'record',
    toDocs: record,
    metrics: ['record_f1', 'record_em'],
    targetDelimiter: '',
    citation: 'lm-evaluation-harness `record` (tasks/super_glue/record/util.py)',
  },
  {
    name: 'sglue_rte',
    folder: 'RTE',
    config: 'rte',
    toDocs: rte,
    metrics: ['acc'],
    targetDelimiter: ' ',
    citation: 'lm-evaluation-harness `sglue_rte` (tasks/super_glue/rte/default.yaml)',
  },
  {
    name: 'wic',
    folder: 'WiC',
    config: 'wic',
    toDocs: wic,
    metrics: ['acc'],
    targetDelimiter: ' ',
    citation: 'lm-evaluation-harness `wic` (tasks/super_glue/wic/default.yaml)',
  },
  {
    name: 'wsc',
    folder: 'WSC',
    config: 'wsc.fixed',
    toDocs: wsc,
    metrics: ['acc'],
    targetDelimiter: ' ',
    citation: 'lm-evaluation-harness `wsc` (tasks/super_glue/wsc/preprocess_wsc.default_doc_to_text)',
  },
];
