import { basename } from 'node:path';
import { usageError, type Problem } from '../core/errors.js';
import type { SourceRecord } from '../data/read-records.js';
import { labelsOf, type LabeledDataset, type LabeledExample } from './labeled-dataset.js';

export interface UserDatasetColumns {
  label: string;
  /** The text column (text models), or null. */
  text: string | null;
  /** The numeric feature columns (tabular models); empty for text. */
  features: readonly string[];
  /** A column with row ids; default `id` when present, else the line. */
  id: string | null;
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string'
    ? value
    : typeof value === 'number' || typeof value === 'boolean'
      ? String(value)
      : JSON.stringify(value);
}

function fail(code: string, message: string, hint: string, problems: Problem[] = []): never {
  throw usageError(code, message, hint, problems.slice(0, 20));
}

/**
 * The user's labelled rows as a dataset for the simple models, checked first: the columns exist, every row has a
 * label, there are at least two classes, the text column is not empty everywhere, the features are numbers. Each
 * problem names the file, line and column.
 */
export function userDataset(
  path: string,
  records: readonly SourceRecord[],
  columns: UserDatasetColumns,
): LabeledDataset {
  if (records.length === 0) fail('DATA_EMPTY', `${path} has no rows`, 'give a file with a header and labelled rows');
  const present = new Set(records.flatMap((r) => Object.keys(r.fields)));
  const known = [...present].join(', ');
  const wanted = [
    columns.label,
    ...(columns.text === null ? [] : [columns.text]),
    ...columns.features,
    ...(columns.id === null ? [] : [columns.id]),
  ];
  const missing = wanted.filter((c) => !present.has(c));
  if (missing.length > 0)
    fail(
      'DATA_COLUMN_MISSING',
      `${path} has no column ${missing.map((c) => `'${c}'`).join(', ')}`,
      `its columns: ${known}`,
    );
  const problems: Problem[] = [];
  const at = (r: SourceRecord): string => `${path}:${r.line}`;
  for (const r of records) {
    if (cell(r.fields[columns.label]).trim() === '')
      problems.push({
        where: at(r),
        field: columns.label,
        message: 'no label',
        hint: 'label every row, or remove the unlabelled ones',
      });
    for (const feature of columns.features) {
      const value =
        typeof r.fields[feature] === 'number'
          ? r.fields[feature]
          : Number(cell(r.fields[feature]).trim() === '' ? Number.NaN : cell(r.fields[feature]));
      if (!Number.isFinite(value))
        problems.push({
          where: at(r),
          field: feature,
          message: `'${cell(r.fields[feature])}' is not a number`,
          hint: 'features must be numeric; encode categories as numbers or leave the column out',
        });
    }
  }
  if (problems.length > 0)
    fail(
      'DATA_INVALID',
      `${path}: ${problems.length} problem${problems.length === 1 ? '' : 's'} in the labelled rows (first ${Math.min(20, problems.length)} listed)`,
      'nothing was trained; fix the rows listed above',
      problems,
    );
  if (columns.text !== null) {
    const text = columns.text;
    if (records.every((r) => cell(r.fields[text]).trim() === ''))
      fail(
        'DATA_INVALID',
        `the text column '${text}' is empty in every row of ${path}`,
        'point --text at the column holding the text to classify',
        [{ where: path, field: text, message: 'empty in every row' }],
      );
  }
  const idColumn = columns.id ?? (present.has('id') ? 'id' : null);
  const examples: LabeledExample[] = records.map((r) => {
    const label = cell(r.fields[columns.label]).trim();
    const id = idColumn === null ? `line-${r.line}` : cell(r.fields[idColumn]);
    if (columns.text !== null) return { id, input: cell(r.fields[columns.text]), label };
    const features = columns.features.map((f) => Number(r.fields[f]));
    return {
      id,
      input: JSON.stringify(Object.fromEntries(columns.features.map((f, k) => [f, features[k]]))),
      label,
      features,
    };
  });
  const ids = new Set<string>();
  for (const [i, e] of examples.entries()) {
    if (ids.has(e.id))
      fail(
        'DATA_INVALID',
        `${path}: id '${e.id}' appears twice (column '${idColumn ?? ''}')`,
        'ids must be unique; leave --id out to number rows by line',
        [{ where: at(records[i] as SourceRecord), field: idColumn ?? '', message: 'repeated id' }],
      );
    ids.add(e.id);
  }
  const labels = labelsOf(examples);
  if (labels.length < 2)
    fail(
      'DATA_ONE_CLASS',
      `the label column '${columns.label}' has one class ('${labels[0] ?? ''}') in ${path}`,
      'a classifier needs at least two classes; check --label or add rows of the other classes',
      [{ where: path, field: columns.label, message: `every row is '${labels[0] ?? ''}'` }],
    );
  return {
    name: basename(path),
    kind: columns.text !== null ? 'text' : 'tabular',
    featureNames: [...columns.features],
    examples,
    source: path,
  };
}
