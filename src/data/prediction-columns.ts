import { usageError, type Problem } from '../core/errors.js';
import type { SourceRecord } from './read-records.js';

/** The columns `yardstick metrics` reads, as raw values with the file line of each row. */
export interface PredictionColumns {
  truth: unknown[];
  prediction: unknown[] | null;
  score: unknown[] | null;
  /** Values of the extra columns asked for (e.g. per-class probabilities), by column name. */
  extras: Record<string, unknown[]>;
  lines: number[];
  /** Rows left out because a value was missing (with --drop-missing). */
  dropped: number;
}

export interface ColumnNames {
  truth: string;
  prediction: string | null;
  score: string | null;
  extras?: string[];
}

/** True for values that mean "no value": absent, null, empty text, NaN. */
export function isMissing(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'number') return Number.isNaN(value);
  if (typeof value === 'string') {
    const text = value.trim().toLowerCase();
    return text === '' || text === 'nan' || text === 'na' || text === 'null';
  }
  return false;
}

/**
 * Picks the named columns out of the records. An unknown column lists the available ones; rows with a missing
 * value are an error listing the first of them, unless `dropMissing`, which leaves them out and counts them.
 */
export function predictionColumns(
  path: string,
  records: readonly SourceRecord[],
  names: ColumnNames,
  dropMissing: boolean,
): PredictionColumns {
  const available = [...new Set(records.flatMap((r) => Object.keys(r.fields)))];
  const extras = names.extras ?? [];
  const wanted = [names.truth, names.prediction, names.score, ...extras].filter((n): n is string => n !== null);
  const unknown = wanted.filter((name) => !available.includes(name));
  if (unknown.length > 0) {
    throw usageError(
      'COLUMN_UNKNOWN',
      `${path} has no column ${unknown.map((n) => `'${n}'`).join(' or ')}`,
      `available columns: ${available.join(', ')}`,
    );
  }
  const out: PredictionColumns = {
    truth: [],
    prediction: names.prediction === null ? null : [],
    score: names.score === null ? null : [],
    extras: Object.fromEntries(extras.map((name) => [name, []])),
    lines: [],
    dropped: 0,
  };
  const problems: Problem[] = [];
  let missingRows = 0;
  for (const record of records) {
    const missing = wanted.filter((name) => isMissing(record.fields[name]));
    if (missing.length > 0) {
      missingRows += 1;
      if (problems.length < 10)
        problems.push({ where: `${path}:${record.line}`, field: missing.join(', '), message: 'missing value' });
      continue;
    }
    out.truth.push(record.fields[names.truth]);
    if (names.prediction !== null) out.prediction?.push(record.fields[names.prediction]);
    if (names.score !== null) out.score?.push(record.fields[names.score]);
    for (const name of extras) out.extras[name]?.push(record.fields[name]);
    out.lines.push(record.line);
  }
  if (missingRows > 0 && !dropMissing) {
    throw usageError(
      'VALUES_MISSING',
      `${path} has ${missingRows} row${missingRows === 1 ? '' : 's'} with missing values${missingRows > problems.length ? ` (the first ${problems.length} listed)` : ''}`,
      'fill them in, or pass --drop-missing to leave those rows out',
      problems,
    );
  }
  out.dropped = missingRows;
  if (out.truth.length === 0)
    throw usageError('DATA_EMPTY', `${path} has no usable rows`, 'check the file and the column names');
  return out;
}

/** Converts values to numbers, failing with the first rows that are not numeric. */
export function numericColumn(
  path: string,
  column: string,
  values: readonly unknown[],
  lines: readonly number[],
): Float64Array {
  const out = new Float64Array(values.length);
  const problems: Problem[] = [];
  values.forEach((value, i) => {
    const n =
      typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
    if (!Number.isFinite(n) && problems.length < 10)
      problems.push({
        where: `${path}:${lines[i] ?? '?'}`,
        field: column,
        message: `'${String(value)}' is not a number`,
      });
    out[i] = n;
  });
  if (problems.length > 0)
    throw usageError(
      'VALUES_NOT_NUMERIC',
      `column '${column}' of ${path} must be numeric`,
      'fix the rows listed above, or choose the task explicitly with --task',
      problems,
    );
  return out;
}

/** Labels as numbers when every value in both columns is numeric, else as text. */
export function labelColumns(
  truth: readonly unknown[],
  prediction: readonly unknown[],
): { truth: (string | number)[]; prediction: (string | number)[] } {
  const numeric = (v: unknown): boolean =>
    (typeof v === 'number' && Number.isFinite(v)) ||
    (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)));
  const allNumeric = truth.every(numeric) && prediction.every(numeric);
  const convert = (v: unknown): string | number =>
    allNumeric ? Number(v) : typeof v === 'string' ? v : JSON.stringify(v);
  return { truth: truth.map(convert), prediction: prediction.map(convert) };
}
