/** Evaluations, benchmarks and their comparison: `import { … } from 'yardstick/eval'`. */
export { runEval, type EvalOptions, type EvalOutcome } from './run-eval.js';
export type { EvalChoicesInput } from '../runs/eval-plans.js';
export { functionTarget, type FunctionTargetOptions } from './function-target.js';
export type { EvalProgress, EvalObserver } from '../eval/runner.js';
export type { EvalJson, FailingCase } from '../eval/eval-summary.js';
export type { CaseResult, ChoicePrediction, StoredScore } from '../eval/case-result.js';
export type { SuiteMetric } from '../eval/suite-metrics.js';
export { compareRuns, type CompareJson, type RunCases } from '../eval/compare.js';
export { readCaseResults, storedRunCases } from '../eval/stored-eval.js';
export { KNOWN_TASKS, TASK_GROUPS, resolveTasks } from '../benchmarks/registry.js';
export type { BenchmarkSummary, TaskSummary, MmluSummary } from '../benchmarks/benchmark-summary.js';
export type { ScoringMode } from '../benchmarks/benchmark-cases.js';
export type { Target, SendContext } from '../targets/target.js';
export type { Exchange, TargetRequest, TargetDescription, ErrorCategory } from '../core/types.js';
