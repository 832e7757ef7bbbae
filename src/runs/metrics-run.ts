import { evaluateClassification, evaluateRegression, type IntervalOptions, type MetricValue } from '../accuracy/evaluate.js';
import type { Label } from '../accuracy/labels.js';
import { usageError } from '../core/errors.js';
import { currentEnvironment } from '../core/environment.js';
import { labelColumns, numericColumn, predictionColumns } from '../data/prediction-columns.js';
import { readRecords } from '../data/read-records.js';
import { newRunId } from '../store/run-id.js';
import type { Store } from '../store/store.js';

export type Task = 'classification' | 'regression';

export interface MetricsRunOptions {
  path: string;
  trueColumn: string;
  predColumn: string | null;
  scoreColumn: string | null;
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
  notes: string[];
}

const MAX_CLASSES_FOR_DETECTION = 20;

function detectTask(truth: readonly unknown[], prediction: readonly unknown[] | null): { task: Task; why: string } {
  if (prediction === null) return { task: 'classification', why: 'detected: binary scores without predictions' };
  const numbers = [...truth, ...prediction].map((v) => (typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN));
  if (numbers.some((n) => !Number.isFinite(n))) return { task: 'classification', why: 'detected: labels are not all numbers' };
  if (numbers.some((n) => !Number.isInteger(n))) return { task: 'regression', why: 'detected: values are not whole numbers' };
  const distinct = new Set(numbers).size;
  if (distinct > MAX_CLASSES_FOR_DETECTION) return { task: 'regression', why: `detected: ${distinct} distinct whole numbers (more than ${MAX_CLASSES_FOR_DETECTION} classes)` };
  return { task: 'classification', why: `detected: ${distinct} distinct whole numbers` };
}

function parsePosLabel(text: string | null, labels: readonly Label[]): Label | undefined {
  if (text === null) return undefined;
  return typeof labels[0] === 'number' && Number.isFinite(Number(text)) ? Number(text) : text;
}

/** Computes the metrics of a predictions file, and stores the run when a store is given. */
export function runMetrics(options: MetricsRunOptions): MetricsJson {
  if (options.predColumn === null && options.scoreColumn === null) {
    throw usageError('COLUMNS_MISSING', 'nothing to evaluate: name the predictions with --pred (labels or values) or --score (binary scores)', 'e.g. yardstick metrics preds.csv --true label --pred prediction');
  }
  const records = readRecords(options.path);
  const columns = predictionColumns(options.path, records, { truth: options.trueColumn, prediction: options.predColumn, score: options.scoreColumn }, options.dropMissing);
  const detected = options.task === null ? detectTask(columns.truth, columns.prediction) : { task: options.task, why: 'given with --task' };
  const notes: string[] = [];
  let metrics: Record<string, MetricValue>;
  let confusionMatrix: MetricsJson['confusionMatrix'] = null;
  if (detected.task === 'regression') {
    if (columns.prediction === null) throw usageError('COLUMNS_MISSING', 'regression needs --pred', 'name the column of predicted values');
    const truth = numericColumn(options.path, options.trueColumn, columns.truth, columns.lines);
    const prediction = numericColumn(options.path, options.predColumn ?? '', columns.prediction, columns.lines);
    metrics = evaluateRegression(truth, prediction, options.intervals);
  } else {
    const scores = columns.score === null ? null : numericColumn(options.path, options.scoreColumn ?? '', columns.score, columns.lines);
    const labels = labelColumns(columns.truth, columns.prediction ?? columns.truth);
    const posLabel = parsePosLabel(options.posLabel, labels.truth);
    if (columns.prediction === null) {
      // Scores alone: only the ranking and probability metrics mean anything.
      const report = evaluateClassification(labels.truth, labels.truth, scores, posLabel, options.intervals);
      metrics = Object.fromEntries(Object.entries(report.metrics).filter(([name]) => ['roc_auc', 'average_precision', 'log_loss', 'brier_score_loss'].includes(name)));
      notes.push(...report.notes);
    } else {
      const report = evaluateClassification(labels.truth, labels.prediction, scores, posLabel, options.intervals);
      metrics = report.metrics;
      confusionMatrix = report.confusionMatrix;
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
    notes,
  };
  const now = new Date().toISOString();
  options.store?.saveRun({
    schemaVersion: 1,
    id: summary.runId,
    kind: 'metrics',
    status: 'completed',
    createdAt: now,
    endedAt: now,
    config: { ...options, store: undefined },
    environment: currentEnvironment(),
    target: { kind: 'file', name: options.path, url: options.path, model: null, streaming: false },
    summary,
    resources: [],
  });
  return summary;
}
