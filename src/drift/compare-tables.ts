import { messageOf, usageError } from '../core/errors.js';
import type { ThresholdResult } from '../core/types.js';
import { ColumnAccumulator } from '../data/column-accumulator.js';
import { distinctUpTo, inferType, sideValues, type ColumnType } from '../data/column-types.js';
import type { ColumnTable } from '../data/read-columns.js';
import { columnDrift, defaultTest, DEFAULT_THRESHOLDS, type DriftTest } from './column-drift.js';
import { datasetVerdict, type DatasetMethod } from './dataset-verdict.js';
import { evaluateDriftThresholds, type DriftThreshold } from './drift-thresholds.js';
import { textDrift } from './text-drift.js';

/** How two tables are compared: which columns, by which test, and how the dataset's verdict is reached. */
export interface ComparisonOptions {
  /** Only these columns (all shared ones by default). */
  columns: readonly string[] | null;
  /** One test for every column instead of the defaults by type and size. */
  test: DriftTest | null;
  /** Threshold for every column (a p-value or a distance, by test); the test's default otherwise. */
  threshold: number | null;
  method: DatasetMethod;
  /** Share of drifted columns from which the dataset counts as drifted (`share` method). */
  shareThreshold: number;
  /** Type overrides by column. */
  types: Readonly<Record<string, ColumnType>>;
  /** Columns holding the model's predictions and the true labels: their drift is prediction and label drift. */
  prediction: string | null;
  label: string | null;
  /** Pass/fail rules on the result (`drifted_share < 0.3`, `effect(age) < 0.1`); none by default. */
  thresholds?: readonly DriftThreshold[];
}

export interface DriftColumn {
  name: string;
  type: ColumnType;
  role: 'feature' | 'prediction' | 'label';
  test: DriftTest;
  statistic: number;
  pValue: number | null;
  /** p-value after the dataset method's multiple-testing adjustment (null for `share` and for distance tests). */
  pValueAdjusted: number | null;
  effectSize: number;
  threshold: number;
  drifted: boolean;
  missing: { reference: number; current: number };
  text: {
    lengthTest: DriftTest;
    lengthStatistic: number;
    lengthDrifted: boolean;
    vocabularyDistance: number;
    outOfVocabularyRate: number;
    referenceVocabulary: number;
  } | null;
  notes: string[];
}

/** Every shared column, each by its default test and threshold, the dataset drifting when half its columns do. */
export function defaultComparison(method: DatasetMethod = 'share'): ComparisonOptions {
  return {
    columns: null,
    test: null,
    threshold: null,
    method,
    shareThreshold: 0.5,
    types: {},
    prediction: null,
    label: null,
  };
}

/** Each column's test and verdict, the columns left out and why, and the dataset's verdict. */
export interface TableComparison {
  columns: DriftColumn[];
  /** Columns not analysed, and why (one side only, all missing, failed test). */
  skipped: { name: string; reason: string }[];
  dataset: {
    driftedShare: number;
    drifted: boolean;
    method: DatasetMethod;
    shareThreshold: number;
    driftedColumns: string[];
    testedColumns: number;
  };
  /** The verdict of each threshold given (none by default). */
  thresholds: ThresholdResult[];
}

/**
 * Compares the shared columns of a reference and a current table: a test per column chosen by type and size, effect
 * sizes, and a dataset verdict. `currentName` names the current side in the reasons a column is skipped.
 */
export function compareTables(
  reference: ColumnTable,
  current: ColumnTable,
  options: ComparisonOptions,
  currentName = 'current data',
): TableComparison {
  const referenceNames = [...reference.columns.keys()];
  const currentNames = [...current.columns.keys()];
  const shared = referenceNames.filter((n) => currentNames.includes(n));
  if (options.columns !== null) {
    const unknown = options.columns.filter((c) => !shared.includes(c));
    if (unknown.length > 0)
      throw usageError(
        'COLUMN_UNKNOWN',
        `column${unknown.length === 1 ? '' : 's'} ${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not in both files`,
        `columns in both: ${shared.join(', ')}`,
      );
  }
  const skipped: TableComparison['skipped'] = [];
  for (const n of referenceNames)
    if (!currentNames.includes(n)) skipped.push({ name: n, reason: `only in the reference` });
  for (const n of currentNames)
    if (!referenceNames.includes(n)) skipped.push({ name: n, reason: `only in the ${currentName}` });
  const wanted = options.columns ?? shared;
  const columns: DriftColumn[] = [];
  for (const name of wanted) {
    const refSide = reference.columns.get(name) ?? new ColumnAccumulator();
    const curSide = current.columns.get(name) ?? new ColumnAccumulator();
    const inferred = inferType([refSide, curSide]);
    const type = options.types[name] ?? inferred.type;
    // A text column under one test for every column (`--test`) is compared by its values, as a categorical one.
    const valuesType = type === 'text' && options.test !== null ? 'categorical' : type;
    const ref = sideValues(refSide, valuesType);
    const cur = sideValues(curSide, valuesType);
    const refCount = ref.size;
    const curCount = cur.size;
    if (refCount === 0 || curCount === 0) {
      skipped.push({
        name,
        reason: `every value is missing in the ${refCount === 0 ? 'reference' : currentName}${type === 'numeric' || type === 'datetime' ? ` (as ${type})` : ''}`,
      });
      continue;
    }
    const notes: string[] = [];
    if (inferred.mixedShare !== null && options.types[name] === undefined)
      notes.push(
        `mixed types: ${(inferred.mixedShare * 100).toFixed(1)}% of the values are numbers; analysed as ${type}`,
      );
    if (inferred.distinctTexts >= 100_000 && type !== 'numeric' && type !== 'datetime')
      notes.push('100,000 or more distinct values');
    const role = name === options.prediction ? 'prediction' : name === options.label ? 'label' : 'feature';
    try {
      if (type === 'text' && options.test === null) {
        const drift = textDrift(ref, cur);
        const threshold = options.threshold ?? DEFAULT_THRESHOLDS.js;
        const vocabularyDrifted = Number.isFinite(drift.vocabularyDistance) && drift.vocabularyDistance >= threshold;
        columns.push({
          name,
          type,
          role,
          test: 'js',
          statistic: drift.vocabularyDistance,
          pValue: null,
          pValueAdjusted: null,
          effectSize: drift.vocabularyDistance,
          threshold,
          drifted: vocabularyDrifted || drift.length.drifted,
          missing: { reference: ref.missing, current: cur.missing },
          text: {
            lengthTest: drift.length.test,
            lengthStatistic: drift.length.statistic,
            lengthDrifted: drift.length.drifted,
            vocabularyDistance: drift.vocabularyDistance,
            outOfVocabularyRate: drift.outOfVocabularyRate,
            referenceVocabulary: drift.referenceVocabulary,
          },
          notes: [
            ...notes,
            'vocabulary: Jensen–Shannon distance of word frequencies; drifted when it or the length test says so',
          ],
        });
        continue;
      }
      // Categories count over both sides: a binary reference with a third value in the current data needs chi-square.
      const distinct =
        type === 'numeric' || type === 'datetime'
          ? distinctUpTo(ref.numbers, 6)
          : new Set([...ref.counts.keys(), ...cur.counts.keys()]).size;
      const test = options.test ?? defaultTest(type, refCount, distinct);
      const threshold = options.threshold ?? DEFAULT_THRESHOLDS[test];
      const result = columnDrift(ref, cur, type, test, threshold);
      columns.push({
        name,
        type,
        role,
        test,
        statistic: result.statistic,
        pValue: result.pValue,
        pValueAdjusted: null,
        effectSize: result.effectSize,
        threshold,
        drifted: result.drifted,
        missing: { reference: ref.missing, current: cur.missing },
        text: null,
        notes: [...notes, ...result.notes],
      });
    } catch (error) {
      skipped.push({ name, reason: `${type} column: ${messageOf(error)}` });
    }
  }
  const verdict = datasetVerdict(columns, options.method, options.shareThreshold);
  columns.forEach((c, i) => {
    c.drifted = verdict.columns[i] ?? c.drifted;
    c.pValueAdjusted = verdict.adjusted[i] ?? null;
  });
  const driftedColumns = columns.filter((c) => c.drifted).map((c) => c.name);
  return {
    columns,
    skipped,
    dataset: {
      driftedShare: verdict.driftedShare,
      drifted: verdict.drifted,
      method: options.method,
      shareThreshold: options.shareThreshold,
      driftedColumns,
      testedColumns: columns.length,
    },
    thresholds: evaluateDriftThresholds(options.thresholds ?? [], {
      columns,
      driftedShare: verdict.driftedShare,
      driftedColumns: driftedColumns.length,
    }),
  };
}
