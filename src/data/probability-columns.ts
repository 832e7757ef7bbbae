import { compareLabels, type Label } from '../accuracy/labels.js';
import { sumsToOne, type ScoreMatrix } from '../accuracy/multiclass-scores.js';
import { usageError, type Problem } from '../core/errors.js';
import { numericColumn } from './prediction-columns.js';

/** The columns named `<prefix><class>`, among those available. */
export function probabilityColumnNames(available: readonly string[], prefix: string): string[] {
  return available.filter((name) => name.startsWith(prefix) && name.length > prefix.length);
}

/** Probability columns ordered by their label as scikit-learn orders classes: numerically when every label is a number, else by text. */
export function columnsInLabelOrder(names: readonly string[], prefix: string): string[] {
  const text = (name: string): string => name.slice(prefix.length);
  const numeric = names.every((name) => text(name).trim() !== '' && Number.isFinite(Number(text(name))));
  const labelOf = (name: string): Label => (numeric ? Number(text(name)) : text(name));
  return [...names].sort((a, b) => compareLabels(labelOf(a), labelOf(b)));
}

/**
 * Builds the n × k probability matrix with one column per label, in label order, from columns named
 * `<prefix><label>`. Every label needs its column; every value must be in [0, 1] and every row must sum to 1 as
 * scikit-learn checks it (`sumsToOne`); the first offending rows are listed with their line.
 */
export function probabilityMatrix(
  path: string,
  prefix: string,
  labels: readonly Label[],
  extras: Record<string, unknown[]>,
  lines: readonly number[],
): ScoreMatrix {
  const missing = labels.filter((label) => extras[`${prefix}${String(label)}`] === undefined);
  if (missing.length > 0) {
    throw usageError(
      'PROBA_COLUMNS_MISSING',
      `no probability column for label${missing.length > 1 ? 's' : ''} ${missing.map((l) => `'${prefix}${String(l)}'`).join(', ')}`,
      `name one column ${prefix}<label> per class; found ${Object.keys(extras).join(', ') || 'none'}`,
    );
  }
  const columns = labels.map((label) =>
    numericColumn(path, `${prefix}${String(label)}`, extras[`${prefix}${String(label)}`] ?? [], lines),
  );
  const rows = lines.length;
  const k = labels.length;
  const values = new Float64Array(rows * k);
  const problems: Problem[] = [];
  for (let r = 0; r < rows; r += 1) {
    let sum = 0;
    for (let c = 0; c < k; c += 1) {
      const p = (columns[c] as Float64Array)[r] as number;
      if ((p < 0 || p > 1) && problems.length < 10)
        problems.push({
          where: `${path}:${lines[r] ?? '?'}`,
          field: `${prefix}${String(labels[c])}`,
          message: `probability ${p} is outside [0, 1]`,
        });
      values[r * k + c] = p;
      sum += p;
    }
    if (!sumsToOne(sum) && problems.length < 10)
      problems.push({
        where: `${path}:${lines[r] ?? '?'}`,
        field: `${prefix}*`,
        message: `probabilities sum to ${sum}, not 1`,
      });
  }
  if (problems.length > 0)
    throw usageError(
      'PROBABILITIES_INVALID',
      `the ${prefix}* columns of ${path} are not probability distributions`,
      'give each row one probability per class, summing to 1 (softmax raw scores first)',
      problems,
    );
  return { values, rows, classes: k };
}
