/** Accuracy metrics, checked against scikit-learn: `import { … } from 'yardstick/metrics'`. */
export {
  accuracy,
  balancedAccuracy,
  cohenKappa,
  confusionOf,
  matthewsCorrcoef,
  precisionRecallF,
  type Average,
  type PrfOptions,
} from '../accuracy/classification.js';
export { normalizeConfusion, countsAsRows, type ConfusionMatrix } from '../accuracy/confusion-matrix.js';
export type { Label } from '../accuracy/labels.js';
export * from '../accuracy/regression.js';
export { averagePrecision, brierScore, logLossBinary, rocAucBinary } from '../accuracy/scores.js';
export { fleissKappa, krippendorffAlpha, type AlphaLevel } from '../accuracy/agreement.js';
export { expectedCalibrationError, reliabilityBins, type ReliabilityBin } from '../accuracy/calibration.js';
export {
  hammingLoss,
  logLossMulticlass,
  rocAucMulticlass,
  subsetAccuracy,
  topKAccuracy,
  type ScoreMatrix,
} from '../accuracy/multiclass-scores.js';
export {
  corpusBleu,
  exactMatch,
  normalizeAnswer,
  rougeL,
  rougeN,
  tokenF1,
  type BleuSmoothing,
} from '../accuracy/text.js';
