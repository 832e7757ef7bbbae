import { usageError } from '../core/errors.js';
import { evalRunOf, readCaseResults } from '../eval/stored-eval.js';
import type { SuiteMetric } from '../eval/suite-metrics.js';
import type { StoredRun } from '../store/run-record.js';
import type { Store } from '../store/store.js';
import { dominators, type Objective } from './pareto.js';
import { MEAN_METRICS, trafficShares, type TrafficShare } from './traffic-share.js';

export interface TradeoffCandidate {
  runId: string;
  target: string;
  accuracy: SuiteMetric;
  p95LatencyMs: number | null;
  p95TtftMs: number | null;
  costPer1kRequests: number | null;
  /** The run's total cost over its answers that passed: what one right answer costs. */
  costPerCorrect: number | null;
  /** Joules per request: not measured by eval runs on this machine, so always null for now and said so. */
  energyPerRequestJ: number | null;
  pareto: boolean;
  dominatedBy: string[];
}

export interface Constraints {
  minAccuracy: number | null;
  maxP95Ms: number | null;
  /** Cost per 1,000 requests, in the pricing's currency. */
  budgetPer1k: number | null;
  /** What decides among the targets that meet the constraints; null: accuracy when there are no constraints, else cost. */
  prefer: 'cost' | 'latency' | 'accuracy' | null;
  /** The target serving the traffic now: with it (and minAccuracy), how much traffic could move to cheaper targets. */
  serving?: string | null;
}

export interface Recommendation {
  runId: string;
  target: string;
  reason: string;
  /** Satisfying candidates whose accuracy interval overlaps the recommended one's: the data cannot rank them on accuracy. */
  overlapsWith: string[];
}

/** The `--json` output of `yardstick tradeoff`. */
export interface TradeoffJson {
  schemaVersion: 1;
  kind: 'tradeoff';
  metric: string;
  cases: number;
  dimensions: string[];
  candidates: TradeoffCandidate[];
  satisfying: string[];
  recommendation: Recommendation | null;
  /** With a serving target and an accuracy bar: the share of its traffic each cheaper target could take; else null. */
  trafficShares: TrafficShare[] | null;
  notes: string[];
}

async function caseIds(store: Store, runId: string): Promise<Set<string>> {
  return new Set(
    (await readCaseResults(store, runId)).filter((r) => r.repeat === 0 && r.status === 'ok').map((r) => r.caseId),
  );
}

/** Whether a's interval lies wholly below b's: the data says b is more accurate. */
function whollyBelow(a: SuiteMetric, b: SuiteMetric): boolean {
  return a.ci !== null && b.ci !== null && a.ci[1] < b.ci[0];
}

function overlap(a: SuiteMetric, b: SuiteMetric): boolean {
  if (a.ci === null || b.ci === null) return true;
  return a.ci[0] <= b.ci[1] && b.ci[0] <= a.ci[1];
}

/**
 * The tradeoff between eval runs of the same cases: each target's accuracy (with its interval), p95 latency, p95 time
 * to first token and cost per 1,000 requests; the Pareto frontier over the dimensions every run measured; and the
 * target to choose under constraints, with any whose accuracy the intervals cannot tell apart.
 */
export async function tradeoff(
  records: readonly StoredRun[],
  store: Store,
  metricName: string | null,
  constraints: Constraints,
): Promise<TradeoffJson> {
  if (records.length < 2)
    throw usageError(
      'FLAG_INVALID',
      'a tradeoff needs at least two runs',
      'give two or more eval run ids of the same suite on different targets',
    );
  const summaries = records.map((r) => {
    const summary = evalRunOf(r)?.summary ?? null;
    if (summary === null)
      throw usageError(
        'RUN_KIND',
        `run ${r.id} is a ${r.kind} run without an eval summary`,
        'give eval runs (yardstick runs list --kind eval)',
      );
    return summary;
  });
  const metric = metricName ?? (summaries.every((s) => s.metrics.accuracy !== undefined) ? 'accuracy' : 'pass_rate');
  const notes: string[] = [];
  const sets = await Promise.all(records.map((r) => caseIds(store, r.id)));
  const first = sets[0] ?? new Set<string>();
  const same = sets.every((s) => s.size === first.size && [...s].every((id) => first.has(id)));
  if (!same)
    throw usageError(
      'CASES_DIFFER',
      `the runs answered different cases (${sets.map((s) => s.size).join(', ')} cases)`,
      'compare runs of the same suite and cases; rerun the ones with errors or use --resume',
    );
  const candidates: TradeoffCandidate[] = summaries.map((s, i) => {
    const accuracy = s.metrics[metric];
    if (accuracy === undefined)
      throw usageError(
        'METRIC_UNKNOWN',
        `run ${s.runId} has no metric '${metric}'`,
        `it has: ${Object.keys(s.metrics).join(', ')}`,
      );
    return {
      runId: records[i]?.id ?? s.runId,
      target: s.target.name,
      accuracy,
      p95LatencyMs: s.latencyMs.e2e?.p95 ?? null,
      p95TtftMs: s.latencyMs.ttft?.p95 ?? null,
      costPer1kRequests: s.cost.per1kRequests,
      costPerCorrect: s.cost.perCorrect ?? null,
      energyPerRequestJ: null,
      pareto: false,
      dominatedBy: [],
    };
  });
  const dimensions: { objective: Objective; value: (c: TradeoffCandidate) => number | null }[] = [
    { objective: { name: metric, better: 'higher' }, value: (c) => c.accuracy.value },
    { objective: { name: 'p95 latency', better: 'lower' }, value: (c) => c.p95LatencyMs },
    { objective: { name: 'cost per 1,000 requests', better: 'lower' }, value: (c) => c.costPer1kRequests },
  ];
  const used = dimensions.filter((d) =>
    candidates.every((c) => d.value(c) !== null && Number.isFinite(d.value(c) ?? Number.NaN)),
  );
  for (const d of dimensions)
    if (!used.includes(d))
      notes.push(`${d.objective.name} is not measured for every run, so it is left out of the frontier`);
  notes.push(
    'energy per request is not measured by eval runs (no RAPL or GPU power sampling in them): not part of the frontier',
  );
  const dominated = dominators(
    candidates.map((c) => used.map((d) => d.value(c) ?? 0)),
    used.map((d) => d.objective),
  );
  candidates.forEach((c, i) => {
    c.dominatedBy = (dominated[i] ?? []).map((j) => candidates[j]?.target ?? '');
    c.pareto = c.dominatedBy.length === 0;
  });
  const satisfying = candidates.filter(
    (c) =>
      (constraints.minAccuracy === null || c.accuracy.value >= constraints.minAccuracy) &&
      (constraints.maxP95Ms === null || (c.p95LatencyMs !== null && c.p95LatencyMs <= constraints.maxP95Ms)) &&
      (constraints.budgetPer1k === null ||
        (c.costPer1kRequests !== null && c.costPer1kRequests <= constraints.budgetPer1k)),
  );
  let recommendation: Recommendation | null = null;
  // Without --min-accuracy nobody said how accurate is accurate enough: a target whose interval lies wholly below
  // another's is less accurate by the data, and is never recommended for its speed or cost.
  const contenders =
    constraints.minAccuracy !== null
      ? satisfying
      : satisfying.filter((c) => !satisfying.some((d) => whollyBelow(c.accuracy, d.accuracy)));
  const outranked = satisfying.filter((c) => !contenders.includes(c));
  if (outranked.length > 0)
    notes.push(
      `not recommended whatever their cost or speed: ${outranked.map((c) => c.target).join(', ')} (${metric} interval wholly below another's)`,
    );
  const unconstrained =
    constraints.minAccuracy === null && constraints.maxP95Ms === null && constraints.budgetPer1k === null;
  const prefer = constraints.prefer ?? (unconstrained ? 'accuracy' : 'cost');
  if (contenders.length > 0) {
    const key = (c: TradeoffCandidate): number =>
      prefer === 'accuracy'
        ? -c.accuracy.value
        : prefer === 'latency'
          ? (c.p95LatencyMs ?? Infinity)
          : (c.costPer1kRequests ?? Infinity);
    const preferCost = prefer === 'cost' && contenders.every((c) => c.costPer1kRequests === null);
    if (preferCost) notes.push('no run has a cost (no pricing on the targets): choosing the fastest instead');
    const order = preferCost ? (c: TradeoffCandidate): number => c.p95LatencyMs ?? Infinity : key;
    const best = [...contenders].sort(
      (a, b) => order(a) - order(b) || b.accuracy.value - a.accuracy.value,
    )[0] as TradeoffCandidate;
    const overlapsWith = satisfying
      .filter((c) => c !== best && overlap(c.accuracy, best.accuracy))
      .map((c) => c.target);
    const by =
      preferCost || prefer === 'latency'
        ? 'the lowest p95 latency'
        : prefer === 'accuracy'
          ? `the highest ${metric}`
          : 'the lowest cost per 1,000 requests';
    const scope = unconstrained
      ? `no constraints given${constraints.prefer === null ? ', so accuracy comes first' : ''}: ${by} of the ${contenders.length} candidates`
      : `meets every constraint with ${by} of the ${contenders.length} that do`;
    const excluded =
      outranked.length > 0
        ? `, leaving out ${outranked.length} whose ${metric} interval lies wholly below another's`
        : '';
    recommendation = { runId: best.runId, target: best.target, reason: `${scope}${excluded}`, overlapsWith };
  }
  let shares: TrafficShare[] | null = null;
  const servingName = constraints.serving ?? null;
  if (servingName !== null) {
    const serving = candidates.find((c) => c.target === servingName);
    if (serving === undefined)
      throw usageError(
        'FLAG_INVALID',
        `--serving '${servingName}' is not the target of any run given`,
        `the runs' targets: ${candidates.map((c) => c.target).join(', ')}`,
      );
    if (constraints.minAccuracy === null)
      throw usageError(
        'FLAG_INVALID',
        '--serving needs the accuracy bar the traffic must keep',
        'add --min-accuracy, e.g. --min-accuracy 0.85',
      );
    if (!MEAN_METRICS.includes(metric))
      notes.push(`${metric} is not a mean over cases, so the metric of a traffic mix is not known: no traffic shares`);
    else {
      shares = trafficShares(serving, candidates, constraints.minAccuracy);
      if (serving.costPer1kRequests === null)
        notes.push(`${serving.target} has no cost (no pricing): no cheaper target to move traffic to`);
      else if (shares.length === 0) notes.push(`no target is cheaper than ${serving.target}`);
    }
  }
  return {
    schemaVersion: 1,
    kind: 'tradeoff',
    metric,
    cases: first.size,
    dimensions: used.map((d) => d.objective.name),
    candidates,
    satisfying: satisfying.map((c) => c.target),
    recommendation,
    trafficShares: shares,
    notes,
  };
}
