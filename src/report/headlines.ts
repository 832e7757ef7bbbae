import type { BenchJson } from '../efficiency/bench-json.js';
import type { EvalJson } from '../eval/eval-summary.js';
import type { DriftJson } from '../drift/run-drift.js';
import type { ScaleJson } from '../jobs/scale-json.js';
import type { RatingJson } from '../rating/agreement-summary.js';
import type { MetricsJson } from '../runs/metrics-run.js';
import type { TuneJson } from '../tuning/tune-json.js';

const three = (x: number): string => (Number.isFinite(x) ? x.toFixed(3) : '—');
const ms = (x: number | undefined): string => (x === undefined || !Number.isFinite(x) ? '—' : `${x.toFixed(0)} ms`);

/** An eval run: pass rate (with robust accuracy beside it, when perturbed), answered cases, p95 latency. */
export function evalHeadline(s: EvalJson): string {
  const pass = s.metrics.pass_rate;
  const robust = s.robustness === undefined ? '' : ` · robust ${three(s.robustness.robust.value)}`;
  return `pass rate ${pass === undefined ? '—' : three(pass.value)}${robust} · ${s.cases.answered}/${s.cases.planned} answered · p95 e2e ${ms(s.latencyMs.e2e?.p95)}`;
}

/** A bench run: requests per second, p95 time to first token, errors. */
export function benchHeadline(s: BenchJson): string {
  return `${s.throughput.requestsPerS.toFixed(1)} req/s · p95 ttft ${ms(s.latencyMs.ttft?.p95)} · ${s.requests.errored} errors of ${s.requests.completed + s.requests.errored}`;
}

/** A metrics run: its first metric. */
export function metricsHeadline(s: MetricsJson): string {
  const [name, first] = Object.entries(s.metrics)[0] ?? [];
  return `${s.task} · n ${s.n}${name === undefined || first === undefined ? '' : ` · ${name} ${three(first.value)}`}`;
}

/** A drift run: the dataset verdict. */
export function driftHeadline(s: DriftJson): string {
  return `${s.dataset.drifted ? 'drift' : 'no drift'} · ${s.dataset.driftedColumns.length} of ${s.dataset.testedColumns} columns drifted`;
}

/** A rating task: raters, and their agreement (alpha) or, pairwise, B's share. */
export function ratingHeadline(s: RatingJson): string {
  const agreement = s.alpha === null ? '' : ` · alpha ${three(s.alpha.value)}`;
  const preference = s.preference === null ? '' : ` · B preferred ${three(s.preference.bWinShare)}`;
  return `${s.items} items · ${s.raters.length} rater${s.raters.length === 1 ? '' : 's'}${agreement}${preference}`;
}

/** A tuning study: trials, and the configuration recommended. */
export function tuneHeadline(s: TuneJson): string {
  return `${s.trials.length} trials · ${s.recommendation === null ? 'no recommendation' : `recommended ${s.recommendation.trial}`}`;
}

/** A scaling study: the law's serial fraction over the counts run. */
export function scaleHeadline(s: ScaleJson): string {
  const fit = s.analysis.fit;
  return `workers ${s.workers.join(', ')}${fit === null ? '' : ` · ${s.analysis.law} s ${three(fit.serialFraction)}`}`;
}
