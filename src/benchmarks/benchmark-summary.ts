import type { CaseResult, ChoicePrediction } from '../eval/case-result.js';
import { meanMetric, type SuiteMetric } from '../eval/suite-metrics.js';
import { quantile, type BootstrapOptions } from '../stats/bootstrap.js';
import type { ScoringMode } from './benchmark-cases.js';
import type { ScoringMethod } from './continuation-scoring.js';
import type { ModeAgreement } from './mode-agreement.js';
import { MMLU_SUBJECTS, type MmluCategory } from './mmlu/subjects.js';
import { chanceOf, taskMetric } from './task-metrics.js';
import type { LoadedTask, TaskMetricName } from './task.js';

/** One task's results: metrics with intervals beside the chance baseline, answer quality and the efficiency of its requests. */
export interface TaskSummary {
  task: string;
  benchmark: string;
  fewshot: number;
  /** Documents evaluated (first repeat). */
  n: number;
  answered: number;
  errored: number;
  metrics: Record<string, SuiteMetric>;
  /** Each metric's expected value under uniform random guessing. */
  chance: Record<string, number | null>;
  /** Share of answered cases whose answer named no choice (always 0 in `loglikelihood` mode). */
  unparseableRate: number | null;
  latencyMs: { mean: number | null; p50: number | null; p95: number | null };
  tokens: { input: number; output: number };
  cost: number | null;
  source: string;
  citation: string;
  /** `loglikelihood`: how this task's continuations were scored; null in other modes. */
  scoredBy: ScoringMethod | null;
}

export interface SubjectSummary {
  subject: string;
  category: MmluCategory;
  acc: SuiteMetric;
}

declare module '../eval/eval-summary.js' {
  interface EvalSections {
    /** Benchmark runs: per-task metrics, chance baselines and efficiency. */
    benchmark?: BenchmarkSummary;
  }
}

/** MMLU's accuracy per subject and category, the micro-average (every question counts once) and the macro-average (every subject counts once). */
export interface MmluSummary {
  subjects: SubjectSummary[];
  categories: Partial<Record<MmluCategory, SuiteMetric>>;
  micro: SuiteMetric;
  macro: SuiteMetric;
}

export interface BenchmarkSummary {
  name: string;
  mode: ScoringMode;
  tasks: TaskSummary[];
  mmlu: MmluSummary | null;
  /** When the same target was also run in another mode: how often the two agreed, per task. */
  agreement?: ModeAgreement[];
}

export interface BenchmarkInfo {
  name: string;
  mode: ScoringMode;
  tasks: readonly LoadedTask[];
  /** `loglikelihood`: how the target scored continuations, once it was asked; null before that and in other modes. */
  scoring: ScoringMethod | null;
}

function firstAnswered(results: readonly CaseResult[]): { prediction: ChoicePrediction; result: CaseResult }[] {
  return results
    .filter((r) => r.repeat === 0 && r.status === 'ok' && r.prediction !== undefined)
    .map((r) => ({ prediction: r.prediction as ChoicePrediction, result: r }));
}

function taskOf(caseId: string): string {
  return caseId.slice(0, caseId.indexOf('/'));
}

function metricsOf(task: LoadedTask, mode: ScoringMode): TaskMetricName[] {
  const names = [...task.metrics];
  if (mode === 'loglikelihood' && names.includes('acc')) names.splice(names.indexOf('acc') + 1, 0, 'acc_norm');
  return names;
}

function latency(results: readonly CaseResult[]): TaskSummary['latencyMs'] {
  const values = results
    .filter((r) => !r.cached && r.e2eMs !== null)
    .map((r) => r.e2eMs as number)
    .sort((a, b) => a - b);
  if (values.length === 0) return { mean: null, p50: null, p95: null };
  return {
    mean: values.reduce((a, b) => a + b, 0) / values.length,
    p50: quantile(values, 0.5),
    p95: quantile(values, 0.95),
  };
}

/** A mean of independent per-subject accuracies: its standard error from theirs, and a normal interval. */
function macroMean(subjects: readonly SubjectSummary[], confidenceZ: number): SuiteMetric {
  const k = subjects.length;
  const value = subjects.reduce((s, x) => s + x.acc.value, 0) / k;
  const se = Math.sqrt(subjects.reduce((s, x) => s + (x.acc.se ?? 0) ** 2, 0)) / k;
  return {
    value,
    ci: [Math.max(0, value - confidenceZ * se), Math.min(1, value + confidenceZ * se)],
    se,
    n: subjects.reduce((s, x) => s + x.acc.n, 0),
  };
}

const Z_95 = 1.959963984540054;

function mmluSummary(
  items: readonly ChoicePrediction[],
  subjects: readonly string[],
  options: BootstrapOptions,
): MmluSummary | null {
  if (items.length === 0) return null;
  const bySubject = new Map<string, number[]>();
  subjects.forEach((s, i) => {
    const list = bySubject.get(s) ?? [];
    list.push(i);
    bySubject.set(s, list);
  });
  const correct = items.map((p) => (p.predicted !== null && p.gold.includes(p.predicted) ? 1 : 0));
  const summaries: SubjectSummary[] = [...bySubject.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([subject, indices]) => ({
      subject,
      category: MMLU_SUBJECTS[subject] ?? 'other',
      acc: meanMetric(
        indices.map((i) => correct[i] ?? 0),
        null,
        options,
      ),
    }));
  const categories: Partial<Record<MmluCategory, SuiteMetric>> = {};
  for (const category of ['stem', 'humanities', 'social_sciences', 'other'] as const) {
    const values = subjects.flatMap((s, i) => (MMLU_SUBJECTS[s] === category ? [correct[i] ?? 0] : []));
    if (values.length > 0) categories[category] = meanMetric(values, null, options);
  }
  return {
    subjects: summaries,
    categories,
    micro: meanMetric(correct, null, options),
    macro: macroMean(summaries, Z_95),
  };
}

/** The benchmark section of a run's summary, from every stored result. */
export function benchmarkSummary(
  info: BenchmarkInfo,
  results: readonly CaseResult[],
  options: BootstrapOptions,
): BenchmarkSummary {
  const first = results.filter((r) => r.repeat === 0);
  const answered = firstAnswered(results);
  const tasks = info.tasks.map((task): TaskSummary => {
    const own = first.filter((r) => taskOf(r.caseId) === task.name);
    const mine = answered.filter((a) => a.prediction.task === task.name);
    const items = mine.map((a) => a.prediction);
    const names = metricsOf(task, info.mode);
    const metrics: Record<string, SuiteMetric> = {};
    const chance: Record<string, number | null> = {};
    for (const name of names) {
      const metric = taskMetric(name, items, options);
      if (metric === null) continue;
      metrics[name] = metric;
      chance[name] = chanceOf(name, items);
    }
    const unparseable = items.filter((p) => (task.regression ? p.value === null : p.predicted === null)).length;
    const ok = own.filter((r) => r.status === 'ok');
    const costs = ok.map((r) => r.cost).filter((c): c is number => c !== null);
    return {
      task: task.name,
      benchmark: task.benchmark,
      fewshot: task.fewshotCount,
      n: own.length,
      answered: ok.length,
      errored: own.length - ok.length,
      metrics,
      chance,
      unparseableRate: items.length === 0 ? null : unparseable / items.length,
      latencyMs: latency(ok),
      tokens: {
        input: ok.reduce((s, r) => s + (r.tokensIn ?? 0), 0),
        output: ok.reduce((s, r) => s + (r.tokensOut ?? 0), 0),
      },
      cost: costs.length === 0 ? null : costs.reduce((a, b) => a + b, 0),
      source: task.source,
      citation: task.citation,
      scoredBy: info.scoring,
    };
  });
  const mmluItems = answered.filter((a) => a.prediction.task === 'mmlu');
  const subjects = mmluItems.map((a) => a.result.tags[1] ?? '');
  return {
    name: info.name,
    mode: info.mode,
    tasks,
    mmlu: mmluSummary(
      mmluItems.map((a) => a.prediction),
      subjects,
      options,
    ),
  };
}

/** The benchmark's metrics under names thresholds can use: `TASK.METRIC` (e.g. `cola.mcc`), and MMLU's `mmlu.acc_macro` and `mmlu.CATEGORY.acc`. */
export function benchmarkMetrics(summary: BenchmarkSummary): Record<string, SuiteMetric> {
  const out: Record<string, SuiteMetric> = {};
  for (const task of summary.tasks)
    for (const [name, metric] of Object.entries(task.metrics)) out[`${task.task}.${name}`] = metric;
  if (summary.mmlu !== null) {
    out['mmlu.acc_macro'] = summary.mmlu.macro;
    for (const [category, metric] of Object.entries(summary.mmlu.categories)) out[`mmlu.${category}.acc`] = metric;
  }
  return out;
}

/** Every metric name a benchmark run can report, for checking thresholds before the run. */
export function benchmarkMetricNames(tasks: readonly LoadedTask[], mode: ScoringMode): string[] {
  const names = tasks.flatMap((t) => metricsOf(t, mode).map((m) => `${t.name}.${m}`));
  if (tasks.some((t) => t.name === 'mmlu'))
    names.push('mmlu.acc_macro', 'mmlu.stem.acc', 'mmlu.humanities.acc', 'mmlu.social_sciences.acc', 'mmlu.other.acc');
  return names;
}
