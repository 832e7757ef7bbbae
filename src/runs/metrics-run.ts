import type { ReliabilityBin } from '../accuracy/calibration.js';
import type { Average } from '../accuracy/classification.js';
import {
  evaluateClassificationCodes,
  evaluateProbabilities,
  evaluateRegression,
  type IntervalOptions,
  type MetricValue,
} from '../accuracy/evaluate.js';
import type { Label } from '../accuracy/labels.js';
import { usageError } from '../core/errors.js';
import { mergeLabelColumns, PredictionTable, type LabelColumn } from '../data/prediction-columns.js';
import {
  labelsAreNumbers,
  mostProbableLabels,
  probabilityColumnNames,
  probabilityMatrix,
} from '../data/probability-columns.js';
import { newRunId } from '../store/run-id.js';
import { saveFinishedRun } from '../store/run-lifecycle.js';
import type { Store } from '../store/store.js';

export type Task = 'classification' | 'regression';

export interface MetricsRunOptions {
  path: string;
  trueColumn: string;
  predColumn: string | null;
  scoreColumn: string | null;
  /** Prefix of per-class probability columns (`<prefix><label>`). */
  probaPrefix: string | null;
  /** Average of the headline precision, recall and F1 (default: binary for two classes, none otherwise). */
  average: Average | null;
  task: Task | null;
  posLabel: string | null;
  dropMissing: boolean;
  intervals: IntervalOptions;
  store: Store | null;
}

/** The stable `yardstick metrics --json` document (schemaVersion 1). */
export interface MetricsJson {
  schemaVersion: 1;
  runId: string;
  kind: 'metrics';
  file: string;
  task: Task;
  /** How the task was chosen: given with --task, or detected (and why). */
  taskSource: string;
  n: number;
  droppedRows: number;
  confidence: number;
  metrics: Record<string, MetricValue>;
  confusionMatrix: { labels: Label[]; counts: number[][] } | null;
  /** Binary tasks with probabilities: the reliability diagram's bins; null otherwise. */
  reliability: ReliabilityBin[] | null;
  notes: string[];
}

const MAX_CLASSES_FOR_DETECTION = 20;
/** Whole numbers are taken as classes only when each value of the truth has, on average, at least this many rows. */
const MIN_ROWS_PER_CLASS = 5;

const OVERRIDE = 'give --task regression or --task classification to override';

/** Number labels of both columns when both are numeric with few distinct values (enough to decide the task). */
interface NumberLabels {
  truth: LabelColumn;
  prediction: LabelColumn;
}

/**
 * Classification or regression from the values: text labels are classes, fractions are values, and whole numbers are
 * classes only when there are few of them (at most 20) and each has rows enough to be a class (5 on average): 40
 * whole-number prices over 15 values are a regression target, 1,000 ratings over 1–5 are classes. The numbers are
 * labelled only up to 21 distinct values per column, which is all the decision needs.
 */
function detectTask(
  table: PredictionTable,
  truthName: string,
  predName: string | null,
): { task: Task; why: string; labels: NumberLabels | null } {
  if (predName === null)
    return { task: 'classification', why: 'detected: binary scores without predictions', labels: null };
  if (!table.isNumeric(truthName) || !table.isNumeric(predName))
    return { task: 'classification', why: 'detected: labels are not all numbers', labels: null };
  const cap = MAX_CLASSES_FOR_DETECTION + 1;
  const truth = table.numberLabels(truthName, cap);
  const prediction = truth === null ? null : table.numberLabels(predName, cap);
  const whole =
    truth !== null && prediction !== null
      ? [...truth.values, ...prediction.values].every((v) => Number.isInteger(v))
      : table.isWhole(truthName) && table.isWhole(predName);
  if (!whole) return { task: 'regression', why: `detected: values are not whole numbers (${OVERRIDE})`, labels: null };
  const distinct = truth === null || prediction === null ? null : new Set([...truth.values, ...prediction.values]).size;
  if (truth === null || prediction === null || distinct === null || distinct > MAX_CLASSES_FOR_DETECTION)
    return {
      task: 'regression',
      why: `detected: more than ${MAX_CLASSES_FOR_DETECTION} distinct whole numbers, too many for classes (${OVERRIDE})`,
      labels: null,
    };
  const truthDistinct = truth.values.length;
  const rowsPerValue = table.n / Math.max(1, truthDistinct);
  if (truthDistinct > 2 && rowsPerValue < MIN_ROWS_PER_CLASS) {
    return {
      task: 'regression',
      why: `detected: ${truthDistinct} distinct whole numbers in ${table.n} rows, ${rowsPerValue.toFixed(1)} rows per value: too few for classes (${OVERRIDE})`,
      labels: null,
    };
  }
  return {
    task: 'classification',
    why: `detected: ${distinct} distinct whole numbers, ${rowsPerValue.toFixed(1)} rows per value (${OVERRIDE})`,
    labels: { truth, prediction },
  };
}

function parsePosLabel(text: string | null, labels: readonly Label[]): Label | undefined {
  if (text === null) return undefined;
  return typeof labels[0] === 'number' && Number.isFinite(Number(text)) ? Number(text) : text;
}

const SCORE_METRICS = ['roc_auc', 'average_precision', 'log_loss', 'brier_score_loss', 'expected_calibration_error'];

interface Evaluated {
  metrics: Record<string, MetricValue>;
  confusionMatrix: MetricsJson['confusionMatrix'];
  reliability: MetricsJson['reliability'];
}

/** Classification metrics of the table's labels, scores and class probabilities. */
function evaluateLabels(
  table: PredictionTable,
  options: MetricsRunOptions,
  known: NumberLabels | null,
  notes: string[],
): Evaluated {
  const prefix = options.probaPrefix;
  const probaNames = prefix === null ? [] : probabilityColumnNames(table.available, prefix);
  let scores = options.scoreColumn === null ? null : table.numbers(options.scoreColumn);
  const numeric =
    table.isNumeric(options.trueColumn) &&
    (options.predColumn !== null
      ? table.isNumeric(options.predColumn)
      : prefix === null || labelsAreNumbers(probaNames, prefix));
  const labelsOf = (name: string, labelled: LabelColumn | null): LabelColumn =>
    labelled ?? (numeric ? table.numberLabels(name) : table.textLabels(name));
  const truth = labelsOf(options.trueColumn, known?.truth ?? null);
  const prediction =
    options.predColumn !== null
      ? labelsOf(options.predColumn, known?.prediction ?? null)
      : prefix !== null
        ? mostProbableLabels(table, prefix, numeric)
        : truth;
  const encoded = mergeLabelColumns(truth, prediction);
  const posLabel = parsePosLabel(options.posLabel, encoded.labels);
  let probabilityMetrics: Record<string, MetricValue> = {};
  if (prefix !== null) {
    const matrix = probabilityMatrix(table, prefix, encoded.labels);
    if (encoded.labels.length === 2) {
      const positive = encoded.labels.findIndex((l) => String(l) === String(posLabel ?? encoded.labels[1]));
      scores ??= Float64Array.from(
        { length: matrix.rows },
        (_, r) => matrix.values[r * 2 + Math.max(0, positive)] as number,
      );
    } else {
      probabilityMetrics = evaluateProbabilities(encoded.trueCodes, matrix, options.intervals, notes);
    }
  }
  const scoresOnly = options.predColumn === null && prefix === null;
  const report = evaluateClassificationCodes(
    scoresOnly ? { ...encoded, predCodes: encoded.trueCodes } : encoded,
    scores,
    posLabel,
    options.intervals,
    options.average,
  );
  notes.push(...report.notes);
  if (scoresOnly) {
    // Scores alone: only the ranking and probability metrics mean anything.
    return {
      metrics: Object.fromEntries(Object.entries(report.metrics).filter(([name]) => SCORE_METRICS.includes(name))),
      confusionMatrix: null,
      reliability: report.reliability,
    };
  }
  return {
    metrics: { ...report.metrics, ...probabilityMetrics },
    confusionMatrix: report.confusionMatrix,
    reliability: report.reliability,
  };
}

/** Computes the metrics of a predictions file, and stores the run when a store is given. */
export async function runMetrics(options: MetricsRunOptions): Promise<MetricsJson> {
  const createdAt = new Date().toISOString();
  if (options.predColumn === null && options.scoreColumn === null && options.probaPrefix === null) {
    throw usageError(
      'COLUMNS_MISSING',
      'nothing to evaluate: name the predictions with --pred (labels or values), --score (binary scores) or --proba-prefix (class probabilities)',
      'e.g. yardstick metrics preds.csv --true label --pred prediction',
    );
  }
  const table = await PredictionTable.read(
    options.path,
    {
      truth: options.trueColumn,
      prediction: options.predColumn,
      score: options.scoreColumn,
      extrasPrefix: options.probaPrefix,
    },
    options.dropMissing,
  );
  if (options.probaPrefix !== null && probabilityColumnNames(table.available, options.probaPrefix).length === 0) {
    throw usageError(
      'PROBA_COLUMNS_MISSING',
      `${options.path} has no column starting with '${options.probaPrefix}'`,
      `available columns: ${table.available.join(', ')}`,
    );
  }
  const detected =
    options.task === null
      ? options.probaPrefix !== null
        ? { task: 'classification' as const, why: 'detected: class probabilities given', labels: null }
        : detectTask(table, options.trueColumn, options.predColumn)
      : { task: options.task, why: 'given with --task', labels: null };
  const notes: string[] = [];
  let evaluated: Evaluated;
  if (detected.task === 'regression') {
    if (options.predColumn === null)
      throw usageError('COLUMNS_MISSING', 'regression needs --pred', 'name the column of predicted values');
    evaluated = {
      metrics: evaluateRegression(
        table.numbers(options.trueColumn),
        table.numbers(options.predColumn),
        options.intervals,
        notes,
      ),
      confusionMatrix: null,
      reliability: null,
    };
  } else {
    evaluated = evaluateLabels(table, options, detected.labels, notes);
  }
  if (table.dropped > 0) notes.push(`${table.dropped} rows with missing values left out (--drop-missing)`);
  const summary: MetricsJson = {
    schemaVersion: 1,
    runId: newRunId(),
    kind: 'metrics',
    file: options.path,
    task: detected.task,
    taskSource: detected.why,
    n: table.n,
    droppedRows: table.dropped,
    confidence: options.intervals.confidence,
    metrics: evaluated.metrics,
    confusionMatrix: evaluated.confusionMatrix,
    reliability: evaluated.reliability,
    notes,
  };
  await saveFinishedRun(options.store ?? null, {
    id: summary.runId,
    kind: 'metrics',
    createdAt,
    status: 'completed',
    config: { ...options, store: undefined },
    target: { kind: 'file', name: options.path, url: options.path, model: null, streaming: false },
    summary,
  });
  return summary;
}
