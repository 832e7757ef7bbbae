import { describeConfiguration } from '../tuning/search-space.js';
import type { Bounded, Trial, TrialEvaluation, TuneJson } from '../tuning/tune-json.js';
import { withInterval } from './scale-text.js';

/** A bounded value as `v [lo, hi]` with a scale and digits, or a dash. */
export function bounded(b: Bounded | null, digits: number, scale = 1): string {
  if (b === null) return '—';
  return withInterval(
    b.value * scale,
    b.interval === null ? null : [b.interval[0] * scale, b.interval[1] * scale],
    digits,
  );
}

/** The search in one line: strategy, space, rungs and requests. */
export function tuneHeadline(t: TuneJson): string {
  const rungs =
    t.rungs.length === 1
      ? `${t.trials.length} configurations on ${t.cases} cases`
      : `successive halving: ${t.rungs.map((r) => `${r.configurations} on ${r.cases} cases`).join(' → ')}`;
  return `${t.search} search of ${t.spaceSize} configurations (${Object.keys(t.space).join(', ')}): ${rungs}; ${t.requests} requests`;
}

/** The last evaluation of each trial, finalists first (by rung reached, then Pareto rank, then the metric). */
export function trialsInOrder(t: TuneJson): { trial: Trial; last: TrialEvaluation }[] {
  return t.trials
    .flatMap((trial) => {
      const last = trial.evaluations.at(-1);
      return last === undefined ? [] : [{ trial, last }];
    })
    .sort(
      (a, b) =>
        b.last.rung - a.last.rung ||
        a.last.paretoRank - b.last.paretoRank ||
        b.last.accuracy.value - a.last.accuracy.value,
    );
}

/** The table of trials: each one's furthest evaluation. */
export function tuneRows(t: TuneJson): { header: string[]; rows: string[][] } {
  const header = [
    'trial',
    'configuration',
    'rung (cases)',
    `${t.metric} [95% CI]`,
    'p95 ms [95% CI]',
    'cost / 1k [95% CI]',
    'errors',
    'rank',
    '',
  ];
  const rows = trialsInOrder(t).map(({ trial, last }) => [
    trial.name,
    describeConfiguration(trial.configuration),
    `${last.rung} (${last.cases})`,
    bounded(last.accuracy, 3),
    bounded(last.p95LatencyMs, 1),
    bounded(last.costPer1kRequests, 4),
    String(last.errors),
    String(last.paretoRank),
    t.recommendation?.trial === trial.name ? 'recommended' : t.front.includes(trial.name) ? 'front' : '',
  ]);
  return { header, rows };
}

/** The front and the recommendation, one line each, and the notes. */
export function tuneFindings(t: TuneJson): string[] {
  const out = [
    `Pareto front over ${t.objectives.join(', ')} (finalists on all ${t.cases} cases): ${t.front.join(', ') || 'none'}`,
  ];
  if (t.recommendation === null) out.push('recommendation: none');
  else {
    const r = t.recommendation;
    const ties = r.overlapsWith.length === 0 ? '' : ` (its ${t.metric} interval overlaps ${r.overlapsWith.join(', ')})`;
    out.push(`recommended: ${r.trial} — ${describeConfiguration(r.configuration)}: ${r.reason}${ties}`);
  }
  for (const note of t.notes) out.push(`note: ${note}`);
  return out;
}
