import { usageError } from '../core/errors.js';
import {
  evaluateWith,
  isOneOf,
  numericThresholdParts,
  type Comparison,
  type Parsed,
} from '../core/threshold-grammar.js';
import type { ThresholdResult } from '../core/types.js';
import type { DriftColumn } from './compare-tables.js';

const DATASET_NAMES = ['drifted_share', 'drifted_columns', 'tested_columns'] as const;
type DatasetName = (typeof DATASET_NAMES)[number];
const COLUMN_FUNCTIONS = ['effect', 'statistic', 'pvalue'] as const;
type ColumnFunction = (typeof COLUMN_FUNCTIONS)[number];

/** A pass/fail rule on a drift run: on the dataset (`drifted_share < 0.3`) or one column (`effect(age) < 0.1`). */
export type DriftThreshold =
  | { expr: string; kind: 'dataset'; name: DatasetName; op: Comparison; limit: number }
  | { expr: string; kind: 'column'; fn: ColumnFunction; column: string; op: Comparison; limit: number };

/** Parses a drift threshold (the grammar of core/threshold-grammar.ts). */
export function parseDriftThreshold(expr: string): Parsed<DriftThreshold> {
  const hint = "write e.g. 'drifted_share < 0.3', 'drifted_columns < 2', 'effect(age) < 0.1', 'pvalue(country) > 0.01'";
  const parts = numericThresholdParts(expr, hint);
  if (!parts.ok) return parts;
  const { fn, name, op, limit } = parts.value;
  if (fn === null) {
    if (!isOneOf(DATASET_NAMES, name))
      return {
        ok: false,
        message: `unknown measure '${name}' in '${expr}'`,
        hint: `measures: ${DATASET_NAMES.join(', ')}, or ${COLUMN_FUNCTIONS.map((f) => `${f}(column)`).join(', ')}`,
      };
    return { ok: true, value: { expr: parts.value.expr, kind: 'dataset', name, op, limit } };
  }
  if (!isOneOf(COLUMN_FUNCTIONS, fn))
    return {
      ok: false,
      message: `unknown function '${fn}' in '${expr}'`,
      hint: `a column's measures: ${COLUMN_FUNCTIONS.map((f) => `${f}(column)`).join(', ')}`,
    };
  return { ok: true, value: { expr: parts.value.expr, kind: 'column', fn, column: name, op, limit } };
}

export interface DriftMeasures {
  columns: readonly DriftColumn[];
  driftedShare: number;
  driftedColumns: number;
}

/**
 * Evaluates drift thresholds. A column a threshold names that was not tested is refused (exit 2) with the tested
 * ones; a column without a p-value (distance tests) fails a `pvalue` threshold.
 */
export function evaluateDriftThresholds(
  thresholds: readonly DriftThreshold[],
  measures: DriftMeasures,
): ThresholdResult[] {
  const byName = new Map(measures.columns.map((c) => [c.name, c]));
  const unknown = thresholds.flatMap((t) => (t.kind === 'column' && !byName.has(t.column) ? [t] : []));
  if (unknown.length > 0)
    throw usageError(
      'THRESHOLD_COLUMN',
      `${unknown.map((t) => `'${t.expr}'`).join(', ')} name${unknown.length === 1 ? 's' : ''} a column that was not tested`,
      `tested columns: ${[...byName.keys()].join(', ')}`,
    );
  return evaluateWith(thresholds, (t) => {
    if (t.kind === 'dataset')
      return t.name === 'drifted_share'
        ? measures.driftedShare
        : t.name === 'drifted_columns'
          ? measures.driftedColumns
          : measures.columns.length;
    const column = byName.get(t.column);
    if (column === undefined) return null;
    return t.fn === 'effect' ? column.effectSize : t.fn === 'statistic' ? column.statistic : column.pValue;
  });
}
