import type { ReliabilityBin } from '../accuracy/calibration.js';
import type { Average } from '../accuracy/classification.js';
import {
  evaluateClassification,
  evaluateProbabilities,
  evaluateRegression,
  type IntervalOptions,
  type MetricValue,
} from '../accuracy/evaluate.js';
import { encodeLabels } from '../accuracy/labels.js';
import type { Label } from '../accuracy/labels.js';
import { usageError } from '../core/errors.js';
import { labelColumns, numericColumn, predictionColumns } from '../data/prediction-columns.js';
import { columnsInLabelOrder, probabilityColumnNames, probabilityMatrix } from '../data/probability-columns.js';
import { loadRecords } from '../data/read-records.js';
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

/**
 * Classification or regression from the values: text labels are classes, fractions are values, and whole numbers are
 * classes only when there are few of them (at most 20) and each has rows enough to be a class (5 on average): 40
 * whole-number prices over 15 values are a regression target, 1,000 ratings over 1–5 are classes.
 */
function detectTask(truth: readonly unknown[], prediction: readonly unknown[] | null): { task: Task; why: string } {
  if (prediction === null) return { task: 'classification', why: 'detected: binary scores without predictions' };
  const toNumber = (v: unknown): number =>
    typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
  const truthNumbers = truth.map(toNumber);
  const numbers = [...truthNumbers, ...prediction.map(toNumber)];
  if (numbers.some((n) => !Number.isFinite(n)))
    return { task: 'classification', why: 'detected: labels are not all numbers' };
  if (numbers.some((n) => !Number.isInteger(n)))
    return { task: 'regression', why: `detected: values are not whole numbers (${OVERRIDE})` };
  const distinct = new Set(numbers).size;
  if (distinct > MAX_CLASSES_FOR_DETECTION)
    return {
      task: 'regression',
      why: `detected: ${distinct} distinct whole numbers, more than ${MAX_CLASSES_FOR_DETECTION} classes (${OVERRIDE})`,
    };
  const truthDistinct = new Set(truthNumbers).size;
  const rowsPerValue = truth.length / Math.max(1, truthDistinct);
  if (truthDistinct > 2 && rowsPerValue < MIN_ROWS_PER_CLASS) {
    return {
      task: 'regression',
      why: `detected: ${truthDistinct} distinct whole numbers in ${truth.length} rows, ${rowsPerValue.toFixed(1)} rows per value: too few for classes (${OVERRIDE})`,
    };
  }
  return {
    task: 'classification',
    why: `detected: ${distinct} distinct whole numbers, ${rowsPerValue.toFixed(1)} rows per value (${OVERRIDE})`,
  };
}

function parsePosLabel(text: string | null, labels: readonly Label[]): Label | undefined {
  if (text === null) return undefined;
  return typeof labels[0] === 'number' && Number.isFinite(Number(text)) ? Number(text) : text;
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
  const records = await loadRecords(options.path);
  const available = [...new Set(records.flatMap((r) => Object.keys(r.fields)))];
  const probaNames = options.probaPrefix === null ? [] : probabilityColumnNames(available, options.probaPrefix);
  if (options.probaPrefix !== null && probaNames.length === 0) {
    throw usageError(
      'PROBA_COLUMNS_MISSING',
      `${options.path} has no column starting with '${options.probaPrefix}'`,
      `available columns: ${available.join(', ')}`,
    );
  }
  const columns = predictionColumns(
    options.path,
    records,
    { truth: options.trueColumn, prediction: options.predColumn, score: options.scoreColumn, extras: probaNames },
    options.dropMissing,
  );
  if (options.probaPrefix !== null && options.predColumn === null) {
    // Without --pred, the predicted class is the most probable one; on a tie, the first in sorted label order, as
    // scikit-learn's predict (classes_[argmax(predict_proba)], classes_ sorted) breaks it.
    const ordered = columnsInLabelOrder(probaNames, options.probaPrefix);
    columns.prediction = columns.truth.map((_, i) =>
      ordered
        .reduce(
          (bestName, name) =>
            Number(columns.extras[name]?.[i]) > Number(columns.extras[bestName]?.[i]) ? name : bestName,
          ordered[0] ?? '',
        )
        .slice(options.probaPrefix?.length ?? 0),
    );
  }
  const detected =
    options.task === null
      ? options.probaPrefix !== null
        ? { task: 'classification' as const, why: 'detected: class probabilities given' }
        : detectTask(columns.truth, columns.prediction)
      : { task: options.task, why: 'given with --task' };
  const notes: string[] = [];
  let metrics: Record<string, MetricValue>;
  let confusionMatrix: MetricsJson['confusionMatrix'] = null;
  let reliability: MetricsJson['reliability'] = null;
  if (detected.task === 'regression') {
    if (columns.prediction === null)
      throw usageError('COLUMNS_MISSING', 'regression needs --pred', 'name the column of predicted values');
    const truth = numericColumn(options.path, options.trueColumn, columns.truth, columns.lines);
    const prediction = numericColumn(options.path, options.predColumn ?? '', columns.prediction, columns.lines);
    metrics = evaluateRegression(truth, prediction, options.intervals);
  } else {
    let scores =
      columns.score === null
        ? null
        : numericColumn(options.path, options.scoreColumn ?? '', columns.score, columns.lines);
    const labels = labelColumns(columns.truth, columns.prediction ?? columns.truth);
    const posLabel = parsePosLabel(options.posLabel, labels.truth);
    let probabilityMetrics: Record<string, MetricValue> = {};
    if (options.probaPrefix !== null) {
      const encoded = encodeLabels(labels.truth, labels.prediction);
      const matrix = probabilityMatrix(
        options.path,
        options.probaPrefix,
        encoded.labels,
        columns.extras,
        columns.lines,
      );
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
    if (columns.prediction === null) {
      // Scores alone: only the ranking and probability metrics mean anything.
      const report = evaluateClassification(
        labels.truth,
        labels.truth,
        scores,
        posLabel,
        options.intervals,
        options.average,
      );
      metrics = Object.fromEntries(
        Object.entries(report.metrics).filter(([name]) =>
          ['roc_auc', 'average_precision', 'log_loss', 'brier_score_loss', 'expected_calibration_error'].includes(name),
        ),
      );
      notes.push(...report.notes);
      reliability = report.reliability;
    } else {
      const report = evaluateClassification(
        labels.truth,
        labels.prediction,
        scores,
        posLabel,
        options.intervals,
        options.average,
      );
      metrics = { ...report.metrics, ...probabilityMetrics };
      confusionMatrix = report.confusionMatrix;
      reliability = report.reliability;
      notes.push(...report.notes);
    }
  }
  if (columns.dropped > 0) notes.push(`${columns.dropped} rows with missing values left out (--drop-missing)`);
  const summary: MetricsJson = {
    schemaVersion: 1,
    runId: newRunId(),
    kind: 'metrics',
    file: options.path,
    task: detected.task,
    taskSource: detected.why,
    n: columns.truth.length,
    droppedRows: columns.dropped,
    confidence: options.intervals.confidence,
    metrics,
    confusionMatrix,
    reliability,
    notes,
  };
  saveFinishedRun(options.store ?? null, {
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
