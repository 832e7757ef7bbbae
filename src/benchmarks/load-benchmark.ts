import { withModulePath } from '../targets/target-modules.js';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { TargetConfig } from '../targets/target-schema.js';
import { describeIssue } from '../config/issues.js';
import { withOtherFieldIssues } from '../config/variant-issues.js';
import { mergeSources } from '../config/yaml-source.js';
import { seededRandom } from '../core/random.js';
import { usageError, YardstickError, type Problem } from '../core/errors.js';
import type { CaseResult } from '../eval/case-result.js';
import type { EvalCase } from '../eval/cases.js';
import type { RetryPolicy } from '../eval/retry.js';
import type { RunnableSuite } from '../eval/runner.js';
import { possibleMetricNames } from '../eval/suite-metrics.js';
import { parseEvalThreshold, type EvalThreshold } from '../eval/thresholds.js';
import type { Target } from '../targets/target.js';
import { DEFAULT_EXTRACT } from './answers.js';
import { benchmarkCase, evalCaseOf, type BenchmarkCase, type ScoringMode } from './benchmark-cases.js';
import { BenchmarkRequests } from './benchmark-requests.js';
import { benchmarkSuiteSchema, type BenchmarkSuiteConfig } from './benchmark-schema.js';
import { BenchmarkScorer } from './benchmark-scorer.js';
import {
  benchmarkMetricNames,
  benchmarkMetrics,
  benchmarkSummary,
  type BenchmarkInfo,
  type BenchmarkSummary,
} from './benchmark-summary.js';
import { chooseScoringMethod } from './continuation-scoring.js';
import { loadCustomTask } from './custom-task.js';
import { dataSourceFrom } from './data-files.js';
import { resolveTasks } from './registry.js';
import type { LoadedTask } from './task.js';

export interface BenchmarkSource {
  path: string | null;
  overrides: Record<string, unknown>;
  baseDir?: string;
  extraThresholds?: readonly string[];
  /** Told before a data file is downloaded. */
  onDownload?: (url: string) => void;
}

/** A benchmark config with its tasks' data read and checked. */
export interface LoadedBenchmark {
  config: BenchmarkSuiteConfig;
  raw: Record<string, unknown>;
  path: string | null;
  baseDir: string;
  name: string;
  tasks: LoadedTask[];
  thresholds: EvalThreshold[];
  retry: RetryPolicy;
}

function fail(problems: Problem[]): never {
  throw usageError(
    'CONFIG_INVALID',
    `the benchmark config has ${problems.length} problem${problems.length === 1 ? '' : 's'}`,
    'fix each one listed above; docs/benchmarks-tasks.md describes every field',
    problems,
  );
}

/** True when a config (file or flags) describes a benchmark rather than an acceptance suite. */
export function isBenchmarkConfig(raw: Record<string, unknown>): boolean {
  return raw.benchmark !== undefined;
}

/** Loads a benchmark config and its tasks' data; every config problem is reported at once, at its line. */
export async function loadBenchmark(source: BenchmarkSource): Promise<LoadedBenchmark> {
  const { raw, where } = mergeSources({ path: source.path, overrides: source.overrides });
  const ownThresholds = Array.isArray(raw.thresholds) ? raw.thresholds.length : 0;
  if (source.extraThresholds !== undefined && source.extraThresholds.length > 0)
    raw.thresholds = [
      ...(Array.isArray(raw.thresholds) ? (raw.thresholds as unknown[]) : []),
      ...source.extraThresholds,
    ];
  const baseDir = source.baseDir ?? (source.path === null ? process.cwd() : dirname(resolve(source.path)));
  const parsed = benchmarkSuiteSchema.safeParse(raw);
  if (!parsed.success)
    fail(
      withOtherFieldIssues(benchmarkSuiteSchema, parsed.error.issues, raw).map((issue) => ({
        where: where(issue.path),
        ...describeIssue(issue),
      })),
    );
  const config = { ...parsed.data, targets: parsed.data.targets.map((t) => withModulePath(t, baseDir)) };
  const b = config.benchmark;
  const dataDir = b.dataDir === undefined ? undefined : isAbsolute(b.dataDir) ? b.dataDir : resolve(baseDir, b.dataDir);
  const data = {
    ...dataSourceFrom({ ...(dataDir === undefined ? {} : { dataDir }), offline: b.offline }),
    ...(source.onDownload === undefined ? {} : { onDownload: source.onDownload }),
  };
  const named = b.tasks.filter((t): t is string => typeof t === 'string');
  const tasks: LoadedTask[] = [];
  const missing: string[] = [];
  const specs = resolveTasks(named);
  for (const spec of specs) {
    try {
      tasks.push(
        await spec.load({
          source: data,
          split: b.split ?? null,
          fewshot: b.fewshot ?? spec.defaultFewshot,
          subjects: b.subjects,
          seed: config.run.seed,
        }),
      );
    } catch (error) {
      if (error instanceof YardstickError && error.code === 'BENCHMARK_DATA_MISSING' && specs.length > 1)
        missing.push(`${spec.name}: ${error.message}`);
      else throw error;
    }
  }
  if (missing.length > 0) {
    throw usageError(
      'BENCHMARK_DATA_MISSING',
      `no data for ${missing.length} task${missing.length === 1 ? '' : 's'}:\n  ${missing.join('\n  ')}`,
      'point --data-dir at the files, or name only the tasks you have data for (e.g. --benchmark cola,sst2)',
    );
  }
  for (const custom of b.tasks)
    if (typeof custom !== 'string') tasks.push(await loadCustomTask(custom, baseDir, b.fewshot ?? 0));
  const names = [...possibleMetricNames(['correct'], false), ...benchmarkMetricNames(tasks, 'loglikelihood')];
  const thresholds: EvalThreshold[] = [];
  const problems: Problem[] = [];
  config.thresholds.forEach((expr, i) => {
    const result = parseEvalThreshold(expr, names);
    if (result.ok) thresholds.push(result.value);
    else
      problems.push({
        where: i < ownThresholds ? where(['thresholds', i]) : 'command line',
        field: `thresholds.${i}`,
        message: result.message,
        hint: result.hint,
      });
  });
  if (b.extract !== undefined) {
    try {
      new RegExp(b.extract);
    } catch (error) {
      problems.push({
        where: where(['benchmark', 'extract']),
        field: 'benchmark.extract',
        message: `not a regular expression: ${(error as Error).message}`,
      });
    }
  }
  if (problems.length > 0) fail(problems);
  const retry: RetryPolicy = {
    retries: config.run.retries,
    baseDelayMs: config.run.retryBaseDelay,
    maxDelayMs: 30_000,
    maxRetryAfterMs: 60_000,
    random: seededRandom(config.run.seed + 7919),
  };
  const name = config.name ?? b.tasks.map((t) => (typeof t === 'string' ? t : t.name)).join('+');
  return { config, raw, path: source.path, baseDir, name, tasks, thresholds, retry };
}

/** The modes a target is scored in: the config's, else `loglikelihood` where the target can score continuations and `choice` elsewhere. */
export function modesFor(loaded: LoadedBenchmark, target: TargetConfig): ScoringMode[] {
  const mode = loaded.config.benchmark.mode;
  if (mode === undefined)
    return [target.kind === 'openai-completions' || target.kind === 'gguf' ? 'loglikelihood' : 'choice'];
  return Array.isArray(mode) ? [...new Set(mode)] : [mode];
}

/** Documents of one task after `limit`: the first N of each task, and of each MMLU subject (lm-evaluation-harness's --limit, whose MMLU tasks are its subjects). */
function limited(task: LoadedTask, limit: number | undefined): LoadedTask['docs'] {
  if (limit === undefined) return task.docs;
  const taken = new Map<string, number>();
  return task.docs.filter((doc) => {
    const group = doc.subject ?? '';
    const n = taken.get(group) ?? 0;
    taken.set(group, n + 1);
    return n < limit;
  });
}

/** A benchmark in one mode, for one target, as the eval runner takes it. */
export function compileBenchmark(loaded: LoadedBenchmark, targetIndex: number, mode: ScoringMode): RunnableSuite {
  const target = loaded.config.targets[targetIndex];
  if (target === undefined) throw usageError('TARGET_UNKNOWN', `the config has no target number ${targetIndex + 1}`);
  const b = loaded.config.benchmark;
  const byId = new Map<string, BenchmarkCase>();
  const cases: EvalCase[] = [];
  for (const task of loaded.tasks) {
    for (const doc of limited(task, b.limit)) {
      const item = benchmarkCase(task, doc, task.fewshotCount);
      const evalCase = evalCaseOf(item, cases.length);
      if (byId.has(evalCase.id))
        throw usageError(
          'DATA_INVALID',
          `${doc.where}: duplicate document id '${evalCase.id}'`,
          'every row of a task needs its own idx',
        );
      byId.set(evalCase.id, item);
      cases.push(evalCase);
    }
  }
  const chat = target.kind === 'openai-chat';
  const extract = b.extract === undefined ? DEFAULT_EXTRACT : new RegExp(b.extract, 'i');
  const options = { confidence: 0.95, resamples: 1000, seed: loaded.config.run.seed };
  const info: BenchmarkInfo = { name: loaded.name, mode, tasks: loaded.tasks, scoring: null };
  // The runner asks for the metrics (for thresholds) and then the section, with the same results: bootstrap once.
  let last: { results: readonly CaseResult[]; summary: BenchmarkSummary } | null = null;
  const summarize = (results: readonly CaseResult[]): BenchmarkSummary => {
    if (last?.results !== results) last = { results, summary: benchmarkSummary(info, results, options) };
    return last.summary;
  };
  return {
    name: `${loaded.name} (${mode})`,
    targets: loaded.config.targets,
    seed: loaded.config.run.seed,
    cases,
    builder: new BenchmarkRequests(byId, { mode, chat, maxTokens: b.maxTokens ?? (mode === 'choice' ? 32 : 512) }),
    scorers: [new BenchmarkScorer(byId, { mode, chat, extract })],
    thresholds: loaded.thresholds,
    retry: loaded.retry,
    additions: (results) => {
      const section = summarize(results);
      return { metrics: benchmarkMetrics(section), extend: (summary) => ({ ...summary, benchmark: section }) };
    },
    checkTarget: (t: Target) => {
      if (mode === 'loglikelihood' && !t.scoresContinuations) {
        throw usageError(
          'MODE_UNSUPPORTED',
          `the ${t.kind} target '${t.describe().name}' cannot score continuations, which loglikelihood mode needs`,
          'use --mode choice (or generate) for chat and http targets, or an openai-completions or gguf target for loglikelihood',
        );
      }
    },
    probeTarget: async (t: Target) => {
      if (mode !== 'loglikelihood') return;
      info.scoring = await chooseScoringMethod(t, byId.values());
      last = null;
    },
  };
}
