import { compareLabels, type Label } from '../accuracy/labels.js';
import { sumsToOne, type ScoreMatrix } from '../accuracy/multiclass-scores.js';
import { usageError, type Problem } from '../core/errors.js';
import type { LabelColumn, PredictionTable } from './prediction-columns.js';

/** The columns named `<prefix><class>`, among those available. */
export function probabilityColumnNames(available: readonly string[], prefix: string): string[] {
  return available.filter((name) => name.startsWith(prefix) && name.length > prefix.length);
}

/** Probability columns ordered by their label as scikit-learn orders classes: numerically when every label is a number, else by text. */
export function columnsInLabelOrder(names: readonly string[], prefix: string): string[] {
  const text = (name: string): string => name.slice(prefix.length);
  const numeric = labelsAreNumbers(names, prefix);
  const labelOf = (name: string): Label => (numeric ? Number(text(name)) : text(name));
  return [...names].sort((a, b) => compareLabels(labelOf(a), labelOf(b)));
}

/**
 * Builds the n × k probability matrix with one column per label, in label order, from columns named
 * `<prefix><label>`. Every label needs its column; every value must be in [0, 1] and every row must sum to 1 as
 * scikit-learn checks it (`sumsToOne`); the first offending rows are listed with their line.
 */
export function probabilityMatrix(table: PredictionTable, prefix: string, labels: readonly Label[]): ScoreMatrix {
  const names = probabilityColumnNames(table.available, prefix);
  const missing = labels.filter((label) => !names.includes(`${prefix}${String(label)}`));
  if (missing.length > 0) {
    throw usageError(
      'PROBA_COLUMNS_MISSING',
      `no probability column for label${missing.length > 1 ? 's' : ''} ${missing.map((l) => `'${prefix}${String(l)}'`).join(', ')}`,
      `name one column ${prefix}<label> per class; found ${names.join(', ') || 'none'}`,
    );
  }
  const columns = labels.map((label) => table.numbers(`${prefix}${String(label)}`));
  const rows = table.n;
  const k = labels.length;
  const values = new Float64Array(rows * k);
  const problems: Problem[] = [];
  for (let r = 0; r < rows; r += 1) {
    let sum = 0;
    for (let c = 0; c < k; c += 1) {
      const p = (columns[c] as Float64Array)[r] as number;
      if ((p < 0 || p > 1) && problems.length < 10)
        problems.push({
          where: `${table.path}:${table.lineOf(r)}`,
          field: `${prefix}${String(labels[c])}`,
          message: `probability ${p} is outside [0, 1]`,
        });
      values[r * k + c] = p;
      sum += p;
    }
    if (!sumsToOne(sum) && problems.length < 10)
      problems.push({
        where: `${table.path}:${table.lineOf(r)}`,
        field: `${prefix}*`,
        message: `probabilities sum to ${sum}, not 1`,
      });
  }
  if (problems.length > 0)
    throw usageError(
      'PROBABILITIES_INVALID',
      `the ${prefix}* columns of ${table.path} are not probability distributions`,
      'give each row one probability per class, summing to 1 (softmax raw scores first)',
      problems,
    );
  return { values, rows, classes: k };
}

/**
 * The most probable class of each row, from the `<prefix><label>` columns in label order; on a tie the first in
 * sorted label order, as scikit-learn's predict (classes_[argmax(predict_proba)], classes_ sorted) breaks it.
 */
export function mostProbableLabels(table: PredictionTable, prefix: string, numeric: boolean): LabelColumn {
  const ordered = columnsInLabelOrder(probabilityColumnNames(table.available, prefix), prefix);
  const columns = ordered.map((name) => table.numbers(name));
  const codes = new Int32Array(table.n);
  for (let r = 0; r < table.n; r += 1) {
    let best = 0;
    for (let c = 1; c < columns.length; c += 1)
      if (((columns[c] as Float64Array)[r] as number) > ((columns[best] as Float64Array)[r] as number)) best = c;
    codes[r] = best;
  }
  const values = ordered.map((name): Label =>
    numeric ? Number(name.slice(prefix.length)) : name.slice(prefix.length),
  );
  return { values, codes };
}

/** Whether every `<prefix><label>` column names a number label. */
export function labelsAreNumbers(names: readonly string[], prefix: string): boolean {
  return names.every((name) => {
    const text = name.slice(prefix.length);
    return text.trim() !== '' && Number.isFinite(Number(text));
  });
}
