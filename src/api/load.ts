/** Load tests and their measurements: `import { … } from 'yardstick/load'`. */
export { runBench, type BenchOptions, type BenchOutcome } from './run-bench.js';
export type { LiveProgress } from '../load/engine.js';
export type { BenchObserver } from '../runs/bench-run.js';
export type { BenchJson, StepJson, PercentilesJson } from '../efficiency/bench-json.js';
export { LatencyHistogram } from '../efficiency/latency-histogram.js';
export { MetricsRecorder } from '../efficiency/recorder.js';
export { parseThreshold, parseSlo, evaluateThresholds, type Threshold } from '../efficiency/thresholds.js';
export type { EfficiencySummary } from '../efficiency/summary.js';
export { startSimulator, type RunningSimulator } from '../simulator/server.js';
export type { SimulatorOptions, FaultRates } from '../simulator/options.js';
export type { LatencyStats, LatencyMetric, ResourceSample, ThresholdResult } from '../core/types.js';
