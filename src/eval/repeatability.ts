import { fleissKappa } from '../accuracy/agreement.js';
import { tQuantile } from '../stats/distributions.js';
import type { CaseResult } from './case-result.js';
import { suiteMetrics, type MetricOptions } from './suite-metrics.js';

/** A metric computed on each repeat separately: how much it moves from run to run. */
export interface AcrossRepeats {
  values: number[];
  mean: number;
  /** Sample standard deviation across repeats (n − 1). */
  std: number;
  /** t interval of the mean over repeats; null with fewer than two repeats. */
  ci: [number, number] | null;
}

export interface Repeatability {
  repeats: number;
  /** Cases answered in every repeat: the ones every statistic below rests on. */
  cases: number;
  /** Mean over cases of the share of repeats that gave the case's most common answer. */
  agreement: number;
  /** Share of cases that passed in some repeats and failed in others. */
  flipRate: number;
  /** Pass rate when each case's outcome is the majority of its repeats (ties fail), and accuracy of majority labels. */
  majorityVote: { passRate: number | null; accuracy: number | null };
  /** pass@k: chance that at least one of k repeats passes; pass^k: that all k pass (unbiased estimators, mean over cases). */
  passAtK: Record<string, number>;
  passHatK: Record<string, number>;
  metrics: Record<string, AcrossRepeats>;
  /** Fleiss' kappa with repeats as raters of each case's answer (label, else the trimmed output); null when undefined (one answer everywhere). */
  fleissKappa: number | null;
  /** One-way random-effects split of the case score's variance into case-to-case and run-to-run parts. */
  variance: { caseToCase: number; runToRun: number; runToRunShare: number | null };
}

/** C(n, k) as a float, exact enough for the ratios below. */
function choose(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let result = 1;
  for (let i = 1; i <= k; i += 1) result = (result * (n - k + i)) / i;
  return result;
}

function answerOf(result: CaseResult, useLabels: boolean): string {
  return useLabels ? (result.label ?? '(none)') : result.output.trim();
}

function across(values: number[], confidence: number): AcrossRepeats {
  const k = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / k;
  const std = k > 1 ? Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (k - 1)) : 0;
  const half = k > 1 ? tQuantile(1 - (1 - confidence) / 2, k - 1) * (std / Math.sqrt(k)) : null;
  return { values, mean, std, ci: half === null ? null : [mean - half, mean + half] };
}

/**
 * What repeating every case tells about a nondeterministic system. Only cases answered in all `repeats` count, so
 * every statistic compares like with like; failed requests are not answers.
 */
export function repeatability(
  results: readonly CaseResult[],
  repeats: number,
  options: MetricOptions,
): Repeatability | null {
  if (repeats < 2) return null;
  const byCase = new Map<string, CaseResult[]>();
  for (const r of results) {
    if (r.status !== 'ok') continue;
    byCase.set(r.caseId, [...(byCase.get(r.caseId) ?? []), r]);
  }
  const complete = [...byCase.values()]
    .filter((rs) => rs.length === repeats)
    .map((rs) => [...rs].sort((a, b) => a.repeat - b.repeat));
  const useLabels = options.labelScorer !== null;
  const n = complete.length;
  if (n === 0) return null;

  let agreement = 0;
  let flips = 0;
  let majorityPass = 0;
  let majorityPassCases = 0;
  let majorityRight = 0;
  let majorityLabelled = 0;
  const answers = new Map<string, number>();
  const rows: Map<string, number>[] = [];
  const passAt = Array.from({ length: repeats }, () => 0);
  const passHat = Array.from({ length: repeats }, () => 0);
  let passCases = 0;
  for (const rs of complete) {
    const counts = new Map<string, number>();
    for (const r of rs) {
      const answer = answerOf(r, useLabels);
      counts.set(answer, (counts.get(answer) ?? 0) + 1);
      if (!answers.has(answer)) answers.set(answer, answers.size);
    }
    rows.push(counts);
    const [modal, modalCount] = [...counts.entries()].reduce((best, e) => (e[1] > best[1] ? e : best));
    agreement += modalCount / repeats;
    const passes = rs.map((r) => r.pass).filter((p): p is boolean => p !== null);
    if (passes.length === repeats) {
      passCases += 1;
      const c = passes.filter(Boolean).length;
      if (c > 0 && c < repeats) flips += 1;
      majorityPassCases += 1;
      if (c * 2 > repeats) majorityPass += 1;
      for (let k = 1; k <= repeats; k += 1) {
        passAt[k - 1] = (passAt[k - 1] ?? 0) + 1 - choose(repeats - c, k) / choose(repeats, k);
        passHat[k - 1] = (passHat[k - 1] ?? 0) + choose(c, k) / choose(repeats, k);
      }
    }
    const expected = rs[0]?.expectedLabel ?? null;
    if (useLabels && expected !== null) {
      majorityLabelled += 1;
      const tie = [...counts.values()].filter((v) => v === modalCount).length > 1;
      if (!tie && modal === expected) majorityRight += 1;
    }
  }

  let kappa: number | null = null;
  if (answers.size > 1) {
    const table = rows.map((counts) => {
      const row = Array.from({ length: answers.size }, () => 0);
      for (const [answer, count] of counts) row[answers.get(answer) ?? 0] = count;
      return row;
    });
    const value = fleissKappa(table);
    kappa = Number.isFinite(value) ? value : null;
  }

  // Variance components of the case score (one-way random effects, balanced): within = run to run, between = case to case.
  const scores = complete.filter((rs) => rs.every((r) => r.score !== null)).map((rs) => rs.map((r) => r.score ?? 0));
  let caseToCase = 0;
  let runToRun = 0;
  if (scores.length > 1) {
    const means = scores.map((s) => s.reduce((a, b) => a + b, 0) / repeats);
    const grand = means.reduce((a, b) => a + b, 0) / means.length;
    const msBetween = (repeats * means.reduce((s, m) => s + (m - grand) ** 2, 0)) / (scores.length - 1);
    const msWithin =
      scores.reduce((s, row, i) => s + row.reduce((q, x) => q + (x - (means[i] ?? 0)) ** 2, 0), 0) /
      (scores.length * (repeats - 1));
    runToRun = msWithin;
    caseToCase = Math.max(0, (msBetween - msWithin) / repeats);
  }

  const perRepeat = Array.from({ length: repeats }, (_, r) =>
    suiteMetrics(
      complete.map((rs) => rs[r] as CaseResult),
      { ...options, resamples: 0 },
    ),
  );
  const metrics: Record<string, AcrossRepeats> = {};
  for (const name of Object.keys(perRepeat[0] ?? {})) {
    const values = perRepeat.map((m) => m[name]?.value ?? Number.NaN);
    if (values.every(Number.isFinite)) metrics[name] = across(values, options.confidence);
  }

  const ks = Array.from({ length: repeats }, (_, i) => String(i + 1));
  return {
    repeats,
    cases: n,
    agreement: agreement / n,
    flipRate: passCases === 0 ? 0 : flips / passCases,
    majorityVote: {
      passRate: majorityPassCases === 0 ? null : majorityPass / majorityPassCases,
      accuracy: majorityLabelled === 0 ? null : majorityRight / majorityLabelled,
    },
    passAtK: Object.fromEntries(ks.map((k, i) => [k, passCases === 0 ? 0 : (passAt[i] ?? 0) / passCases])),
    passHatK: Object.fromEntries(ks.map((k, i) => [k, passCases === 0 ? 0 : (passHat[i] ?? 0) / passCases])),
    metrics,
    fleissKappa: kappa,
    variance: {
      caseToCase,
      runToRun,
      runToRunShare: caseToCase + runToRun > 0 ? runToRun / (caseToCase + runToRun) : null,
    },
  };
}
