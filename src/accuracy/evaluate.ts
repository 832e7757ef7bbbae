import { messageOf } from '../core/errors.js';
import { bootstrapCountsPercentiles, bootstrapPercentiles } from '../stats/bootstrap.js';
import { wilsonInterval, type Interval } from '../stats/proportion-intervals.js';
import { usageError } from '../core/errors.js';
import {
  accuracy,
  balancedAccuracy,
  cohenKappa,
  matthewsCorrcoef,
  precisionRecallF,
  type Average,
  type Prf,
} from './classification.js';
import { expectedCalibrationError, reliabilityBins, type ReliabilityBin } from './calibration.js';
import { confusionFromCodes, countsAsRows, trueSums, type ConfusionMatrix } from './confusion-matrix.js';
import {
  averagePrecisionInterval,
  calibrationErrorInterval,
  deLongInterval,
  meanInterval,
  medianInterval,
  pearsonInterval,
  ratioScoreInterval,
  ROW_BOOTSTRAP_MAX_ROWS,
  spearmanInterval,
} from './large-sample-intervals.js';
import { encodeLabels, type EncodedLabels, type Label } from './labels.js';
import * as regression from './regression.js';
import { logLossMulticlass, rocAucMulticlass, topKAccuracy, type ScoreMatrix } from './multiclass-scores.js';
import {
  averagePrecision,
  averagePrecisionOfSorted,
  brierScore,
  logLossBinary,
  rocAucBinary,
  rocAucOfSorted,
} from './scores.js';
import { sortedClasses } from './sorted-classes.js';
import { sortFloat64 } from '../stats/sort-float64.js';

export interface MetricValue {
  value: number;
  ci: [number, number] | null;
}

export interface IntervalOptions {
  confidence: number;
  /** Bootstrap resamples for every metric but accuracy (Wilson); 0 for no intervals. */
  resamples: number;
  seed: number;
}

export interface ClassificationReport {
  metrics: Record<string, MetricValue>;
  confusionMatrix: { labels: Label[]; counts: number[][] };
  /** Binary tasks with probabilities: the reliability diagram's bins (10, uniform, as calibration_curve). */
  reliability: ReliabilityBin[] | null;
  notes: string[];
}

type Statistic<C> = [name: string, compute: (context: C) => number];

function withIntervals<C>(
  statistics: Statistic<C>[],
  full: C,
  n: number,
  resample: (indices: Uint32Array) => C,
  options: IntervalOptions,
): Record<string, MetricValue> {
  const intervals =
    options.resamples > 0
      ? bootstrapPercentiles(n, (indices) => statistics.map(([, f]) => f(resample(indices))), { ...options })
      : [];
  return Object.fromEntries(
    statistics.map(([name, f], i) => {
      const ci: Interval | null = intervals[i] ?? null;
      return [name, { value: f(full), ci: ci === null ? null : [ci.low, ci.high] }];
    }),
  );
}

function sameLabel(a: Label, b: Label | undefined): boolean {
  return b !== undefined && String(a) === String(b);
}

/**
 * Every classification metric of a set of predictions (and, given binary scores, the ranking and probability
 * metrics), with scikit-learn's names. Accuracy's interval is Wilson's; the others are percentile bootstrap.
 */
export function evaluateClassification(
  truth: Label[],
  prediction: Label[],
  scores: Float64Array | null,
  posLabel: Label | undefined,
  options: IntervalOptions,
  average: Average | null = null,
): ClassificationReport {
  return evaluateClassificationCodes(encodeLabels(truth, prediction), scores, posLabel, options, average);
}

/**
 * The same from labels already encoded as class codes (`encodeLabels`, or a reader that encodes while it reads).
 * Metrics of the confusion matrix take their bootstrap from the matrix itself (`bootstrapCountsPercentiles`: the
 * distribution row resampling gives, at any n); score metrics resample rows up to ROW_BOOTSTRAP_MAX_ROWS rows and
 * take large-sample intervals beyond.
 */
export function evaluateClassificationCodes(
  encoded: EncodedLabels,
  scores: Float64Array | null,
  posLabel: Label | undefined,
  options: IntervalOptions,
  average: Average | null = null,
): ClassificationReport {
  const { labels, trueCodes, predCodes } = encoded;
  const cm = confusionFromCodes(trueCodes, predCodes, labels);
  const notes: string[] = [];
  const rowTotals = trueSums(cm);
  const unseen = labels.filter((_, code) => rowTotals[code] === 0);
  if (unseen.length > 0)
    notes.push(
      `predicted labels absent from the truth: ${unseen.map((l) => JSON.stringify(l)).join(', ')} (kept; they count as wrong)`,
    );
  const binary = labels.length === 2 || (labels.length === 1 && posLabel !== undefined);
  const positive = binary
    ? (labels.find((l) => sameLabel(l, posLabel)) ?? (posLabel === undefined ? labels[labels.length - 1] : undefined))
    : undefined;
  if (posLabel !== undefined && binary && positive === undefined)
    notes.push(`--pos-label ${JSON.stringify(posLabel)} is not a label; binary metrics left out`);

  const statistics: Statistic<ConfusionMatrix>[] = [
    ['balanced_accuracy', (c) => balancedAccuracy(c)],
    ['precision_macro', (c) => precisionRecallF(c, { average: 'macro' }).precision],
    ['recall_macro', (c) => precisionRecallF(c, { average: 'macro' }).recall],
    ['f1_macro', (c) => precisionRecallF(c, { average: 'macro' }).fScore],
    ['precision_weighted', (c) => precisionRecallF(c, { average: 'weighted' }).precision],
    ['recall_weighted', (c) => precisionRecallF(c, { average: 'weighted' }).recall],
    ['f1_weighted', (c) => precisionRecallF(c, { average: 'weighted' }).fScore],
    ['f1_micro', (c) => precisionRecallF(c, { average: 'micro' }).fScore],
    ['matthews_corrcoef', (c) => matthewsCorrcoef(c)],
    ['cohen_kappa', (c) => cohenKappa(c)],
  ];
  if (average === 'binary' && labels.length !== 2) {
    throw usageError(
      'AVERAGE_BINARY_MULTICLASS',
      `--average binary needs two classes, the data has ${labels.length}`,
      'choose --average micro, macro or weighted',
    );
  }
  const headline = average ?? (positive !== undefined && labels.length === 2 ? 'binary' : null);
  if (headline !== null) {
    const prf = (c: ConfusionMatrix): Prf<number> => precisionRecallF(c, { average: headline, posLabel: positive });
    statistics.push(
      ['precision', (c) => prf(c).precision],
      ['recall', (c) => prf(c).recall],
      ['f1', (c) => prf(c).fScore],
    );
  }
  const n = trueCodes.length;
  const intervals = bootstrapCountsPercentiles(
    cm.counts,
    (counts) => statistics.map(([, f]) => f({ labels, counts, size: cm.size })),
    options,
  );
  const correct = Math.round(accuracy(cm) * n);
  const wilson = wilsonInterval(correct, n, options.confidence);
  const metrics: Record<string, MetricValue> = {
    accuracy: { value: accuracy(cm), ci: [wilson.low, wilson.high] },
    ...Object.fromEntries(
      statistics.map(([name, f], i) => {
        const ci = intervals[i] ?? null;
        return [name, { value: f(cm), ci: ci === null ? null : [ci.low, ci.high] }];
      }),
    ),
  };
  const positiveCode = positive === undefined ? -1 : labels.findIndex((l) => sameLabel(l, positive));
  const positives = scores === null ? [] : Array.from(trueCodes, (code) => code === positiveCode);
  if (scores !== null) Object.assign(metrics, scoreMetrics(positives, scores, positive, labels, options, notes));
  const probabilities =
    scores !== null && positive !== undefined && labels.length === 2 && scores.every((v) => v >= 0 && v <= 1);
  const reliability = probabilities ? reliabilityBins(positives, scores) : null;
  return { metrics, confusionMatrix: { labels, counts: countsAsRows(cm) }, reliability, notes };
}

function scoreMetrics(
  positives: boolean[],
  scores: Float64Array,
  positive: Label | undefined,
  labels: Label[],
  options: IntervalOptions,
  notes: string[],
): Record<string, MetricValue> {
  if (positive === undefined || labels.length !== 2) {
    notes.push('scores need exactly two classes; score metrics left out');
    return {};
  }
  const positiveCount = positives.filter(Boolean).length;
  const statistics: Statistic<{ p: boolean[]; s: Float64Array }>[] = [];
  const bothClasses = positiveCount > 0 && positiveCount < positives.length;
  if (bothClasses) statistics.push(['roc_auc', (c) => safe(() => rocAucBinary(c.p, c.s))]);
  else notes.push('roc_auc needs both classes in the truth; left out');
  statistics.push(['average_precision', (c) => averagePrecision(c.p, c.s)]);
  if (positiveCount === 0)
    notes.push(
      'average_precision: no positive class in the truth, so recall is undefined; it is reported as 0, as scikit-learn does (with its warning)',
    );
  const areProbabilities = scores.every((s) => s >= 0 && s <= 1);
  if (areProbabilities) {
    statistics.push(
      ['log_loss', (c) => logLossBinary(c.p, c.s)],
      ['brier_score_loss', (c) => brierScore(c.p, c.s)],
      ['expected_calibration_error', (c) => expectedCalibrationError(c.p, c.s)],
    );
  } else {
    notes.push(
      'scores fall outside [0, 1], so they are not probabilities: log_loss, brier_score_loss and expected_calibration_error left out',
    );
  }
  if (positives.length > ROW_BOOTSTRAP_MAX_ROWS && options.resamples > 0) {
    notes.push(
      largeSampleNote(
        positives.length,
        'roc_auc (DeLong), average_precision (logit), log_loss, brier_score_loss and expected_calibration_error (normal)',
      ),
    );
    return largeSampleScoreMetrics(positives, scores, bothClasses, areProbabilities, options.confidence);
  }
  const resample = (indices: Uint32Array): { p: boolean[]; s: Float64Array } => ({
    p: Array.from(indices, (i) => positives[i] as boolean),
    s: Float64Array.from(indices, (i) => scores[i] as number),
  });
  return withIntervals(statistics, { p: positives, s: scores }, positives.length, resample, options);
}

function largeSampleNote(n: number, which: string): string {
  return `${n.toLocaleString('en-US')} rows: intervals of ${which} are large-sample intervals instead of the row bootstrap (above ${ROW_BOOTSTRAP_MAX_ROWS.toLocaleString('en-US')} rows)`;
}

function metricValue(value: number, ci: Interval | null): MetricValue {
  return { value, ci: ci === null ? null : [ci.low, ci.high] };
}

/** Score metrics of a large sample, each with its large-sample interval (one sort for both rank metrics). */
function largeSampleScoreMetrics(
  positives: boolean[],
  scores: Float64Array,
  bothClasses: boolean,
  areProbabilities: boolean,
  confidence: number,
): Record<string, MetricValue> {
  const n = positives.length;
  const sorted = sortedClasses(positives, scores);
  const out: Record<string, MetricValue> = {};
  if (bothClasses) out.roc_auc = metricValue(rocAucOfSorted(sorted), deLongInterval(sorted, confidence));
  const ap = averagePrecisionOfSorted(sorted);
  out.average_precision = metricValue(ap, averagePrecisionInterval(ap, sorted.positives.length, confidence));
  if (areProbabilities) {
    const outcome = (i: number): number => (positives[i] === true ? 1 : 0);
    const logLoss = logLossBinary(positives, scores);
    out.log_loss = metricValue(
      logLoss,
      meanInterval(
        logLoss,
        n,
        (i) => -Math.log(clipped(outcome(i) === 1 ? (scores[i] as number) : 1 - (scores[i] as number))),
        confidence,
      ),
    );
    const brier = brierScore(positives, scores);
    out.brier_score_loss = metricValue(
      brier,
      meanInterval(brier, n, (i) => ((scores[i] as number) - outcome(i)) ** 2, confidence),
    );
    const ece = expectedCalibrationError(positives, scores);
    out.expected_calibration_error = metricValue(ece, calibrationErrorInterval(positives, scores, ece, confidence));
  }
  return out;
}

/** A probability clipped to [ε, 1 − ε], as log loss takes it. */
function clipped(p: number): number {
  return Math.min(Math.max(p, Number.EPSILON), 1 - Number.EPSILON);
}

/** A resample with one class has no ROC AUC; it is left out of the bootstrap rather than failing it. */
function safe(compute: () => number): number {
  try {
    return compute();
  } catch {
    return Number.NaN;
  }
}

/**
 * Every regression metric, with percentile bootstrap intervals up to ROW_BOOTSTRAP_MAX_ROWS rows and large-sample
 * intervals beyond (`notes` says so).
 */
export function evaluateRegression(
  truth: Float64Array,
  prediction: Float64Array,
  options: IntervalOptions,
  notes: string[] = [],
): Record<string, MetricValue> {
  type Pair = { t: Float64Array; p: Float64Array };
  const statistics: Statistic<Pair>[] = [
    ['r2', (c) => regression.r2Score(c.t, c.p)],
    ['mean_absolute_error', (c) => regression.meanAbsoluteError(c.t, c.p)],
    ['mean_squared_error', (c) => regression.meanSquaredError(c.t, c.p)],
    ['root_mean_squared_error', (c) => regression.rootMeanSquaredError(c.t, c.p)],
    ['median_absolute_error', (c) => regression.medianAbsoluteError(c.t, c.p)],
    ['max_error', (c) => regression.maxError(c.t, c.p)],
    ['mean_absolute_percentage_error', (c) => regression.meanAbsolutePercentageError(c.t, c.p)],
    ['explained_variance', (c) => regression.explainedVarianceScore(c.t, c.p)],
    ['pearson_r', (c) => regression.pearsonR(c.t, c.p)],
    ['spearman_r', (c) => regression.spearmanR(c.t, c.p)],
  ];
  if (truth.length > ROW_BOOTSTRAP_MAX_ROWS && options.resamples > 0) {
    notes.push(
      largeSampleNote(
        truth.length,
        'every regression metric (delta method; order statistics for the median; Fisher z for spearman_r; none for max_error)',
      ),
    );
    return largeSampleRegression(truth, prediction, options.confidence);
  }
  const resample = (indices: Uint32Array): Pair => ({
    t: Float64Array.from(indices, (i) => truth[i] as number),
    p: Float64Array.from(indices, (i) => prediction[i] as number),
  });
  return withIntervals(statistics, { t: truth, p: prediction }, truth.length, resample, options);
}

/** Regression metrics of a large sample, each with its large-sample interval (max_error has none). */
function largeSampleRegression(t: Float64Array, p: Float64Array, confidence: number): Record<string, MetricValue> {
  const n = t.length;
  const error = (i: number): number => (t[i] as number) - (p[i] as number);
  const mae = regression.meanAbsoluteError(t, p);
  const mse = regression.meanSquaredError(t, p);
  const mseInterval = meanInterval(mse, n, (i) => error(i) ** 2, confidence);
  const absolute = sortFloat64(Float64Array.from({ length: n }, (_, i) => Math.abs(error(i))));
  const mape = regression.meanAbsolutePercentageError(t, p);
  let trueMean = 0;
  let errorMean = 0;
  for (let i = 0; i < n; i += 1) {
    trueMean += t[i] as number;
    errorMean += error(i);
  }
  trueMean /= n;
  errorMean /= n;
  const deviation = (i: number): number => ((t[i] as number) - trueMean) ** 2;
  const r2 = regression.r2Score(t, p);
  const explained = regression.explainedVarianceScore(t, p);
  const pearson = regression.pearsonR(t, p);
  const spearman = regression.spearmanR(t, p);
  return {
    r2: metricValue(
      r2,
      ratioScoreInterval(r2, n, (i) => error(i) ** 2, deviation, confidence),
    ),
    mean_absolute_error: metricValue(
      mae,
      meanInterval(mae, n, (i) => Math.abs(error(i)), confidence),
    ),
    mean_squared_error: metricValue(mse, mseInterval),
    root_mean_squared_error: metricValue(
      Math.sqrt(mse),
      mseInterval === null ? null : { low: Math.sqrt(Math.max(0, mseInterval.low)), high: Math.sqrt(mseInterval.high) },
    ),
    median_absolute_error: metricValue(regression.medianAbsoluteError(t, p), medianInterval(absolute, confidence)),
    max_error: metricValue(regression.maxError(t, p), null),
    mean_absolute_percentage_error: metricValue(
      mape,
      meanInterval(mape, n, (i) => Math.abs(error(i)) / Math.max(Math.abs(t[i] as number), Number.EPSILON), confidence),
    ),
    explained_variance: metricValue(
      explained,
      ratioScoreInterval(explained, n, (i) => (error(i) - errorMean) ** 2, deviation, confidence),
    ),
    pearson_r: metricValue(pearson, pearsonInterval(t, p, pearson, confidence)),
    spearman_r: metricValue(spearman, spearmanInterval(spearman, n, confidence)),
  };
}

/**
 * Metrics of per-class probabilities (three classes or more): one-vs-rest and one-vs-one ROC AUC, macro and
 * weighted, top-2 accuracy and log loss, each with a percentile bootstrap interval. Undefined metrics (a class absent from
 * the truth) are left out with a note.
 */
export function evaluateProbabilities(
  truthCodes: Int32Array,
  probabilities: ScoreMatrix,
  options: IntervalOptions,
  notes: string[],
): Record<string, MetricValue> {
  type Sample = { t: Int32Array; p: ScoreMatrix };
  const statistics: Statistic<Sample>[] = [];
  const present = new Set(truthCodes).size;
  // A ROC AUC the data cannot give is left out with the reason, never reported as a silent null.
  let rocProblem: string | null = null;
  if (present === probabilities.classes)
    try {
      rocAucMulticlass(truthCodes, probabilities, 'ovr', 'macro');
    } catch (error) {
      rocProblem = messageOf(error);
    }
  if (rocProblem !== null) notes.push(`multiclass ROC AUC left out: ${rocProblem}`);
  else if (present === probabilities.classes) {
    for (const strategy of ['ovr', 'ovo'] as const) {
      statistics.push([`roc_auc_${strategy}`, (c) => safe(() => rocAucMulticlass(c.t, c.p, strategy, 'macro'))]);
      statistics.push([
        `roc_auc_${strategy}_weighted`,
        (c) => safe(() => rocAucMulticlass(c.t, c.p, strategy, 'weighted')),
      ]);
    }
  } else {
    notes.push(
      `multiclass ROC AUC needs every class in the truth (${present} of ${probabilities.classes} present); left out`,
    );
  }
  statistics.push(
    ['top_k_accuracy', (c) => topKAccuracy(c.t, c.p, 2)],
    ['log_loss', (c) => logLossMulticlass(c.t, c.p)],
  );
  const k = probabilities.classes;
  const n = truthCodes.length;
  if (n > ROW_BOOTSTRAP_MAX_ROWS && options.resamples > 0) {
    notes.push(
      largeSampleNote(
        n,
        'top_k_accuracy (Wilson) and log_loss (normal); the multiclass ROC AUCs have none at this size',
      ),
    );
    const full = { t: truthCodes, p: probabilities };
    const out = Object.fromEntries(statistics.map(([name, f]) => [name, metricValue(f(full), null)]));
    const topK = out.top_k_accuracy?.value ?? Number.NaN;
    const wilson = wilsonInterval(Math.round(topK * n), n, options.confidence);
    out.top_k_accuracy = metricValue(topK, wilson);
    const logLoss = out.log_loss?.value ?? Number.NaN;
    const rowLoss = (r: number): number => {
      let rowSum = 0;
      for (let c = 0; c < k; c += 1) rowSum += clipped(probabilities.values[r * k + c] as number);
      return -Math.log(clipped(probabilities.values[r * k + (truthCodes[r] as number)] as number) / rowSum);
    };
    out.log_loss = metricValue(logLoss, meanInterval(logLoss, n, rowLoss, options.confidence));
    return out;
  }
  const resample = (indices: Uint32Array): Sample => {
    const values = new Float64Array(indices.length * k);
    indices.forEach((row, i) => values.set(probabilities.values.subarray(row * k, row * k + k), i * k));
    return {
      t: Int32Array.from(indices, (i) => truthCodes[i] as number),
      p: { values, rows: indices.length, classes: k },
    };
  };
  return withIntervals(statistics, { t: truthCodes, p: probabilities }, truthCodes.length, resample, options);
}
