import { matthewsCorrcoef, precisionRecallF } from '../accuracy/classification.js';
import { confusionFromCodes } from '../accuracy/confusion-matrix.js';
import { encodeLabels } from '../accuracy/labels.js';
import { usageError } from '../core/errors.js';
import { holmAdjust, mannWhitneyU, mcNemar } from '../stats/comparisons.js';
import { pairedBootstrap } from '../stats/paired-tests.js';
import type { CaseResult } from './case-result.js';
import { NO_CHOICE } from './suite-metrics.js';

export interface RunCases {
  runId: string;
  target: string;
  suite: string;
  results: readonly CaseResult[];
}

export interface MetricComparison {
  name: string;
  a: number;
  b: number;
  /** B − A. */
  difference: number;
  /** Paired bootstrap interval of the difference. */
  ci: [number, number] | null;
  test: 'mcnemar-exact' | 'paired-bootstrap';
  pValue: number;
  /** Holm-adjusted across the metrics compared. */
  pAdjusted: number;
  significant: boolean;
}

export interface LatencyComparison {
  metric: 'e2e' | 'ttft';
  aMedianMs: number;
  bMedianMs: number;
  /** B − A of the medians. */
  differenceMs: number;
  test: 'mann-whitney';
  pValue: number;
}

export interface CompareJson {
  schemaVersion: 1;
  kind: 'compare';
  a: { runId: string; target: string; suite: string };
  b: { runId: string; target: string; suite: string };
  /** Cases both runs answered (first repeat), on which every metric below is paired. */
  n: number;
  onlyInA: number;
  onlyInB: number;
  alpha: number;
  metrics: MetricComparison[];
  latency: LatencyComparison[];
  /** Cases that passed in A and failed in B (regressions) and the reverse (fixes). */
  flipped: { regressions: string[]; fixes: string[] };
}

export interface CompareOptions {
  intersect: boolean;
  alpha: number;
  resamples: number;
  seed: number;
}

function firstRepeat(results: readonly CaseResult[]): Map<string, CaseResult> {
  return new Map(results.filter((r) => r.repeat === 0).map((r) => [r.caseId, r]));
}

type Pair = [CaseResult, CaseResult];

function binaryComparison(
  name: string,
  pairs: readonly Pair[],
  valueOf: (r: CaseResult) => number | null,
  options: CompareOptions,
): Omit<MetricComparison, 'pAdjusted' | 'significant'> | null {
  const usable = pairs.filter(([a, b]) => valueOf(a) !== null && valueOf(b) !== null);
  if (usable.length === 0) return null;
  const va = usable.map(([a]) => valueOf(a) ?? 0);
  const vb = usable.map(([, b]) => valueOf(b) ?? 0);
  const binary = [...va, ...vb].every((v) => v === 0 || v === 1);
  const mean = (values: readonly number[], indices: Uint32Array): number => {
    let s = 0;
    for (const i of indices) s += values[i] ?? 0;
    return s / indices.length;
  };
  const boot = pairedBootstrap(usable.length, (indices, system) => mean(system === 'A' ? va : vb, indices), {
    resamples: options.resamples,
    seed: options.seed,
    confidence: 1 - options.alpha,
  });
  let pValue = boot.pValue;
  if (binary) {
    let onlyA = 0;
    let onlyB = 0;
    va.forEach((x, i) => {
      if (x === 1 && vb[i] === 0) onlyA += 1;
      if (x === 0 && vb[i] === 1) onlyB += 1;
    });
    pValue = mcNemar(onlyA, onlyB, 'exact').pValue;
  }
  const all = Uint32Array.from(va.keys());
  return {
    name,
    a: mean(va, all),
    b: mean(vb, all),
    difference: boot.difference,
    ci: boot.interval === null ? null : [boot.interval.low, boot.interval.high],
    test: binary ? 'mcnemar-exact' : 'paired-bootstrap',
    pValue,
  };
}

function labelComparisons(
  pairs: readonly Pair[],
  options: CompareOptions,
): Omit<MetricComparison, 'pAdjusted' | 'significant'>[] {
  const usable = pairs.filter(
    ([a, b]) => a.expectedLabel !== null && b.expectedLabel !== null && a.expectedLabel === b.expectedLabel,
  );
  if (usable.length === 0) return [];
  const truth = usable.map(([a]) => a.expectedLabel ?? '');
  const predA = usable.map(([a]) => a.label ?? NO_CHOICE);
  const predB = usable.map(([, b]) => b.label ?? NO_CHOICE);
  const { labels } = encodeLabels([...truth, ...truth], [...predA, ...predB]);
  const code = new Map(labels.map((l, i) => [String(l), i]));
  const t = Int32Array.from(truth, (l) => code.get(l) ?? 0);
  const pa = Int32Array.from(predA, (l) => code.get(l) ?? 0);
  const pb = Int32Array.from(predB, (l) => code.get(l) ?? 0);
  const on = (indices: Uint32Array, system: 'A' | 'B') => {
    const p = system === 'A' ? pa : pb;
    return confusionFromCodes(
      Int32Array.from(indices, (i) => t[i] ?? 0),
      Int32Array.from(indices, (i) => p[i] ?? 0),
      labels,
    );
  };
  const metrics: [string, (indices: Uint32Array, system: 'A' | 'B') => number][] = [
    ['f1_macro', (indices, system) => precisionRecallF(on(indices, system), { average: 'macro' }).fScore],
    ['matthews_corrcoef', (indices, system) => matthewsCorrcoef(on(indices, system))],
  ];
  const all = Uint32Array.from(truth.keys());
  const out: Omit<MetricComparison, 'pAdjusted' | 'significant'>[] = [];
  const accuracy = binaryComparison('accuracy', usable, (r) => (r.label === r.expectedLabel ? 1 : 0), options);
  if (accuracy !== null) out.push(accuracy);
  for (const [name, metricOn] of metrics) {
    const boot = pairedBootstrap(usable.length, metricOn, {
      resamples: options.resamples,
      seed: options.seed,
      confidence: 1 - options.alpha,
    });
    out.push({
      name,
      a: metricOn(all, 'A'),
      b: metricOn(all, 'B'),
      difference: boot.difference,
      ci: boot.interval === null ? null : [boot.interval.low, boot.interval.high],
      test: 'paired-bootstrap',
      pValue: boot.pValue,
    });
  }
  return out;
}

function latencyComparison(
  metric: 'e2e' | 'ttft',
  a: readonly CaseResult[],
  b: readonly CaseResult[],
): LatencyComparison | null {
  const pick = (rs: readonly CaseResult[]): number[] =>
    rs
      .filter((r) => r.status === 'ok' && !r.cached)
      .map((r) => (metric === 'e2e' ? r.e2eMs : r.ttftMs))
      .filter((v): v is number => v !== null);
  const la = pick(a);
  const lb = pick(b);
  if (la.length === 0 || lb.length === 0) return null;
  const median = (values: number[]): number => {
    const s = [...values].sort((x, y) => x - y);
    const mid = Math.floor(s.length / 2);
    return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
  };
  const test = mannWhitneyU(la, lb);
  return {
    metric,
    aMedianMs: median(la),
    bMedianMs: median(lb),
    differenceMs: median(lb) - median(la),
    test: 'mann-whitney',
    pValue: test.pValue,
  };
}

/**
 * Compares two eval runs case by case (first repeats): pass rate, each shared scorer and the label metrics, each
 * with the paired-bootstrap interval of B − A and a paired test (exact McNemar for pass/fail values, the paired
 * bootstrap otherwise), Holm-adjusted across metrics; latency by Mann–Whitney; and the cases that flipped.
 * Runs whose case sets differ are refused unless `intersect` is set.
 */
export function compareRuns(a: RunCases, b: RunCases, options: CompareOptions): CompareJson {
  const casesA = firstRepeat(a.results);
  const casesB = firstRepeat(b.results);
  const onlyA = [...casesA.keys()].filter((id) => !casesB.has(id));
  const onlyB = [...casesB.keys()].filter((id) => !casesA.has(id));
  if ((onlyA.length > 0 || onlyB.length > 0) && !options.intersect) {
    const sample = [
      ...onlyA.slice(0, 3).map((id) => `'${id}' only in A`),
      ...onlyB.slice(0, 3).map((id) => `'${id}' only in B`),
    ].join(', ');
    throw usageError(
      'CASES_DIFFER',
      `the runs were not scored on the same cases: ${onlyA.length} only in ${a.runId}, ${onlyB.length} only in ${b.runId} (${sample})`,
      'compare runs of the same suite and sample, or pass --intersect to compare only the shared cases',
    );
  }
  const pairs: Pair[] = [];
  for (const [id, ra] of casesA) {
    const rb = casesB.get(id);
    if (rb !== undefined && ra.status === 'ok' && rb.status === 'ok') pairs.push([ra, rb]);
  }
  // In the dataset's order, not the order answers happened to finish in, so the same runs always compare the same.
  pairs.sort(([x], [y]) => x.index - y.index);
  if (pairs.length === 0)
    throw usageError(
      'CASES_DIFFER',
      'the runs have no answered case in common',
      'check that both runs finished and used the same suite',
    );
  const raw: Omit<MetricComparison, 'pAdjusted' | 'significant'>[] = [];
  const passRate = binaryComparison('pass_rate', pairs, (r) => (r.pass === null ? null : r.pass ? 1 : 0), options);
  if (passRate !== null) raw.push(passRate);
  raw.push(...labelComparisons(pairs, options));
  const scorerNames = Object.keys(pairs[0]?.[0].scores ?? {}).filter((name) =>
    pairs.some(([, rb]) => name in rb.scores),
  );
  for (const name of scorerNames) {
    const c = binaryComparison(name, pairs, (r) => r.scores[name]?.value ?? null, options);
    if (c !== null) raw.push(c);
  }
  const adjusted = holmAdjust(raw.map((m) => (Number.isFinite(m.pValue) ? m.pValue : 1)));
  const metrics = raw.map((m, i) => ({
    ...m,
    pAdjusted: adjusted[i] ?? 1,
    significant: (adjusted[i] ?? 1) < options.alpha,
  }));
  const latency = [
    latencyComparison('e2e', a.results, b.results),
    latencyComparison('ttft', a.results, b.results),
  ].filter((l): l is LatencyComparison => l !== null);
  return {
    schemaVersion: 1,
    kind: 'compare',
    a: { runId: a.runId, target: a.target, suite: a.suite },
    b: { runId: b.runId, target: b.target, suite: b.suite },
    n: pairs.length,
    onlyInA: onlyA.length,
    onlyInB: onlyB.length,
    alpha: options.alpha,
    metrics,
    latency,
    flipped: {
      regressions: pairs.filter(([ra, rb]) => ra.pass === true && rb.pass === false).map(([ra]) => ra.caseId),
      fixes: pairs.filter(([ra, rb]) => ra.pass === false && rb.pass === true).map(([ra]) => ra.caseId),
    },
  };
}
