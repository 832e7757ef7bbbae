/**
 * yardstick's programmatic API. Focused entry points: `yardstick/metrics`, `yardstick/stats`, `yardstick/eval`,
 * `yardstick/load`, `yardstick/store`; this one holds them all and the rest of the supported surface.
 */
export * from './api/metrics.js';
export * from './api/stats.js';
export * from './api/eval.js';
export * from './api/load.js';
export * from './api/store.js';
export type { ConfigSource } from './config/yaml-source.js';
export { loadBenchConfig, type LoadedBenchConfig } from './load/load-bench-config.js';
export type { BenchConfig, LoadConfig, InputConfig } from './load/bench-config-schema.js';
export type { TargetConfig } from './targets/target-schema.js';
export { YardstickError, type Problem } from './core/errors.js';
export { ExitCode } from './core/exit-codes.js';
export { createTarget } from './targets/registry.js';
export { loadSuite, type LoadedSuite, type SuiteSource } from './eval/load-suite.js';
export {
  loadBenchmark,
  compileBenchmark,
  modesFor,
  type LoadedBenchmark,
  type BenchmarkSource,
} from './benchmarks/load-benchmark.js';
export type { BenchmarkSuiteConfig, CustomTaskConfig } from './benchmarks/benchmark-schema.js';
export type { LoadedTask, TaskDoc, TaskSpec, TaskMetricName } from './benchmarks/task.js';
export { LlamaCppTarget } from './targets/llama-cpp.js';
export { runDrift, type DriftJson, type DriftOptions } from './drift/run-drift.js';
export { compareTables, type DriftColumn, type TableComparison } from './drift/compare-tables.js';
export { runDataCheck, type DataCheckJson, type DataCheckOptions } from './quality/run-data-check.js';
export type { Finding, Severity } from './quality/finding.js';
export { readColumns, readColumnsOfEach, type ColumnTable } from './data/read-columns.js';
export { tradeoff, type TradeoffJson, type TradeoffCandidate, type Constraints } from './tradeoff/tradeoff.js';
export type { SuiteConfig } from './eval/suite-schema.js';
export type { ScorerConfig } from './eval/scorers/scorer-schema.js';
export type { Scorer, Score, ScoreInput } from './eval/scorers/scorer.js';
export { loadRunConfig, type LoadedRunConfig } from './runs/load-run-config.js';
export type { RunConfig } from './runs/run-config-schema.js';
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
