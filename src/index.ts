/** yardstick's programmatic API: the only supported import surface. */
export {
  accuracy,
  balancedAccuracy,
  cohenKappa,
  confusionOf,
  matthewsCorrcoef,
  precisionRecallF,
  type Average,
  type PrfOptions,
} from './accuracy/classification.js';
export { normalizeConfusion, countsAsRows, type ConfusionMatrix } from './accuracy/confusion-matrix.js';
export type { Label } from './accuracy/labels.js';
export * from './accuracy/regression.js';
export { averagePrecision, brierScore, logLossBinary, rocAucBinary } from './accuracy/scores.js';
export { clopperPearsonInterval, wilsonInterval, type Interval } from './stats/proportion-intervals.js';
export { fleissKappa, krippendorffAlpha, type AlphaLevel } from './accuracy/agreement.js';
export { expectedCalibrationError, reliabilityBins, type ReliabilityBin } from './accuracy/calibration.js';
export {
  hammingLoss,
  logLossMulticlass,
  rocAucMulticlass,
  subsetAccuracy,
  topKAccuracy,
  type ScoreMatrix,
} from './accuracy/multiclass-scores.js';
export {
  corpusBleu,
  exactMatch,
  normalizeAnswer,
  rougeL,
  rougeN,
  tokenF1,
  type BleuSmoothing,
} from './accuracy/text.js';
export { bootstrapBca, bootstrapPercentile, bootstrapPercentiles } from './stats/bootstrap.js';
export {
  benjaminiHochbergAdjust,
  holmAdjust,
  mannWhitneyU,
  mcNemar,
  welchTTest,
  type TestResult,
} from './stats/comparisons.js';
export * from './stats/distribution-tests.js';
export { ksTwoSample, type KsResult } from './stats/ks-two-sample.js';
export { pairedBootstrap, pairedPermutationTest, type PairedMetric, type PairedResult } from './stats/paired-tests.js';
export { cohensH, minimumDetectableProportion, powerTwoProportions, requiredSampleSize } from './stats/sample-size.js';
export { standardErrorOfMean, standardErrorOfProportion } from './stats/standard-errors.js';
export { loadBenchConfig, type LoadedBenchConfig, type ConfigSource } from './config/load-config.js';
export type { BenchConfig, TargetConfig, LoadConfig, InputConfig } from './config/schema.js';
export { YardstickError, type Problem } from './core/errors.js';
export { ExitCode } from './core/exit-codes.js';
export type {
  Exchange,
  TargetRequest,
  LatencyStats,
  LatencyMetric,
  ErrorCategory,
  ThresholdResult,
  ResourceSample,
} from './core/types.js';
export { LatencyHistogram } from './efficiency/latency-histogram.js';
export { MetricsRecorder } from './efficiency/recorder.js';
export { parseThreshold, parseSlo, evaluateThresholds, type Threshold } from './efficiency/thresholds.js';
export type { EfficiencySummary } from './efficiency/summary.js';
export { runLoad, type EngineOptions, type EngineOutcome, type LiveProgress } from './load/engine.js';
export type { BenchJson, StepJson } from './efficiency/bench-json.js';
export { runBench, type BenchRunOptions, type BenchRunResult } from './runs/bench-run.js';
export { startSimulator, type RunningSimulator } from './simulator/server.js';
export type { SimulatorOptions, FaultRates } from './simulator/options.js';
export { SqliteStore } from './store/sqlite.js';
export type { Store } from './store/store.js';
export type { RunRecordOf, StoredRun, RunStatus } from './store/run-record.js';
export { readRun, typedRun, type RunRecord } from './run-kinds/run-record.js';
export { RunLifecycle, saveFinishedRun, type RunStart } from './store/run-lifecycle.js';
export type { Environment } from './core/environment.js';
export { createTarget } from './targets/registry.js';
export type { Target } from './targets/target.js';
export type { TargetDescription } from './core/types.js';
export { loadSuite, type LoadedSuite, type SuiteSource } from './eval/load-suite.js';
export {
  runEval,
  runnableSuite,
  type RunnableSuite,
  type EvalRunOptions,
  type EvalRunResult,
  type EvalRunSettings,
  type EvalProgress,
} from './eval/runner.js';
export type { EvalJson, FailingCase } from './eval/eval-summary.js';
export type { CaseResult, ChoicePrediction } from './eval/case-result.js';
export {
  loadBenchmark,
  compileBenchmark,
  modesFor,
  type LoadedBenchmark,
  type BenchmarkSource,
} from './benchmarks/load-benchmark.js';
export { KNOWN_TASKS, TASK_GROUPS, resolveTasks } from './benchmarks/registry.js';
export type { BenchmarkSummary, TaskSummary, MmluSummary } from './benchmarks/benchmark-summary.js';
export type { ScoringMode } from './benchmarks/benchmark-cases.js';
export type { BenchmarkSuiteConfig, CustomTaskConfig } from './benchmarks/benchmark-schema.js';
export type { LoadedTask, TaskDoc, TaskSpec, TaskMetricName } from './benchmarks/task.js';
export { LlamaCppTarget } from './targets/llama-cpp.js';
export { runDrift, type DriftJson, type DriftColumn, type DriftOptions } from './drift/run-drift.js';
export { runDataCheck, type DataCheckJson, type DataCheckOptions } from './quality/run-data-check.js';
export type { Finding, Severity } from './quality/finding.js';
export { readColumns, readColumnsOfEach, type ColumnTable } from './data/read-columns.js';
export { tradeoff, type TradeoffJson, type TradeoffCandidate, type Constraints } from './tradeoff/tradeoff.js';
export type { SuiteConfig, ScorerConfig } from './eval/suite-schema.js';
export { compareRuns, type CompareJson, type RunCases } from './eval/compare.js';
export type { Scorer, Score, ScoreInput } from './eval/scorers/scorer.js';
export { loadRunConfig, type LoadedRunConfig } from './config/load-run-config.js';
export type { RunConfig } from './config/run-schema.js';
export { runProfile, type ProfileRunOptions } from './runs/profile-run.js';
export type { ProfileJson, ProfileChild, Headline } from './runs/profile-json.js';
export { runBaseline, type BaselineJson, type BaselineOptions } from './runs/baseline-run.js';
export { startModelServer, type RunningModelServer } from './serve/model-server.js';
export { startModelServerThread, type ModelServerHandle } from './serve/server-thread.js';
export type { ServedModelSpec } from './serve/served-models.js';
export type { ModelBackend, ServedModelInfo } from './serve/model-backend.js';
export { REFERENCE_MODELS, REFERENCE_MODEL_NAMES, type ReferenceModelName } from './models/reference-catalog.js';
export { referenceDataset, referenceRows } from './models/reference-datasets.js';
export { stratifiedSplit } from './models/stratified-split.js';
export type { LabeledDataset, LabeledExample, DatasetSplits } from './models/labeled-dataset.js';
export type { TrainedClassifier, Prediction, ModelFamily } from './models/classifier.js';
