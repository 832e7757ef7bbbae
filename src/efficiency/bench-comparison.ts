import { seededRandom } from '../core/random.js';
import { quantile } from '../stats/bootstrap.js';
import { holmAdjust } from '../stats/comparisons.js';
import { multinomial } from '../stats/multinomial.js';
import type { BenchJson } from './bench-json.js';
import {
  decodeDistribution,
  meanOfCounts,
  quantileOfCounts,
  type LatencyDistribution,
} from './latency-distribution.js';
import { COMPARED_METRICS, type ComparedMetric } from './summary.js';

/** The statistics compared, with the quantile each stands for (null: the mean). */
const STATISTICS = [
  ['p50', 0.5],
  ['p90', 0.9],
  ['p95', 0.95],
  ['p99', 0.99],
  ['mean', null],
] as const;
type ComparedStatistic = (typeof STATISTICS)[number][0];

export interface BenchDifference {
  metric: ComparedMetric;
  statistic: ComparedStatistic;
  aMs: number;
  bMs: number;
  /** B − A in milliseconds, with its percentile bootstrap interval. */
  differenceMs: number;
  differenceCi: [number, number];
  /** B / A − 1, with its interval. */
  relative: number;
  relativeCi: [number, number];
  /** Two-sided bootstrap p-value of no difference, and after Holm's correction over every row. */
  pValue: number;
  adjustedP: number;
  significant: boolean;
  /** The finding in words, e.g. "B's p95 ttft is 12% [8%, 16%] lower (p = 0.001 after Holm)". */
  sentence: string;
}

export interface BenchComparison {
  schemaVersion: 1;
  kind: 'bench-compare';
  a: { runId: string; target: string; completed: number };
  b: { runId: string; target: string; completed: number };
  alpha: number;
  resamples: number;
  differences: BenchDifference[];
  notes: string[];
}

/** What a comparison reads of a bench run (a stored `BenchJson` is one). */
export interface ComparedRun {
  runId: string;
  target: { name: string };
  requests: { completed: number };
  histograms?: BenchJson['histograms'];
}

export interface BenchCompareOptions {
  alpha: number;
  resamples: number;
  seed: number;
}

function statistic(d: LatencyDistribution, counts: ArrayLike<number>, q: number | null): number {
  return q === null ? meanOfCounts(d.valuesMs, counts, d.total) : quantileOfCounts(d.valuesMs, counts, d.total, q);
}

/** Each statistic over `resamples` bootstrap resamples of the requests (drawn as multinomials of the counts). */
function replicates(d: LatencyDistribution, random: () => number, resamples: number): Float64Array[] {
  const out = STATISTICS.map(() => new Float64Array(resamples));
  for (let r = 0; r < resamples; r += 1) {
    const counts = multinomial(random, d.total, d.counts);
    STATISTICS.forEach(([, q], k) => {
      (out[k] as Float64Array)[r] = statistic(d, counts, q);
    });
  }
  return out;
}

function percentileInterval(values: Float64Array, alpha: number): [number, number] {
  const sorted = Float64Array.from(values).sort();
  return [quantile(sorted, alpha / 2), quantile(sorted, 1 - alpha / 2)];
}

/** Two-sided bootstrap p-value of a zero difference: twice the smaller share of replicates on either side of 0. */
function bootstrapP(differences: Float64Array): number {
  let below = 0;
  let above = 0;
  for (const d of differences) {
    if (d <= 0) below += 1;
    if (d >= 0) above += 1;
  }
  return Math.min(1, (2 * Math.min(below, above)) / differences.length);
}

function percent(value: number): string {
  return `${(Math.abs(value) * 100).toFixed(Math.abs(value) < 0.1 ? 1 : 0)}%`;
}

/** A Holm-adjusted p-value in words: `p < 0.001 after Holm`, `p = 0.014 after Holm`. */
export function holmPText(adjustedP: number): string {
  return `p ${adjustedP < 0.001 ? '< 0.001' : `= ${adjustedP.toFixed(3)}`} after Holm`;
}

function sentence(row: Omit<BenchDifference, 'sentence'>): string {
  const what = `B's ${row.statistic} ${row.metric}`;
  const [low, high] = row.relativeCi;
  const p = holmPText(row.adjustedP);
  if (!row.significant) return `${what}: no significant difference (${(row.relative * 100).toFixed(1)}%, ${p})`;
  const direction = row.differenceMs < 0 ? 'lower' : 'higher';
  const [near, far] = row.differenceMs < 0 ? [-high, -low] : [low, high];
  return `${what} is ${percent(row.relative)} [${percent(near)}, ${percent(far)}] ${direction} (${p})`;
}

/**
 * Compares two bench runs metric by metric: for ttft, e2e, itl and tpot, the p50, p90, p95, p99 and mean of B against
 * A, each difference with a percentile bootstrap interval over requests (each run's requests resampled on their own,
 * from the stored distributions), a two-sided bootstrap p-value and Holm's correction over every comparison.
 */
export function compareBenchRuns(a: ComparedRun, b: ComparedRun, options: BenchCompareOptions): BenchComparison {
  const random = seededRandom(options.seed);
  const notes: string[] = [];
  const rows: Omit<BenchDifference, 'sentence' | 'adjustedP' | 'significant'>[] = [];
  for (const metric of COMPARED_METRICS) {
    const textA = a.histograms?.[metric];
    const textB = b.histograms?.[metric];
    if (textA === undefined || textB === undefined) {
      if (textA !== undefined || textB !== undefined)
        notes.push(`${metric}: measured in one run only (or stored before distributions were kept); not compared`);
      continue;
    }
    const da = decodeDistribution(textA);
    const db = decodeDistribution(textB);
    if (da === null || db === null) {
      notes.push(`${metric}: a stored distribution could not be read; not compared`);
      continue;
    }
    const ra = replicates(da, random, options.resamples);
    const rb = replicates(db, random, options.resamples);
    STATISTICS.forEach(([name, q], k) => {
      const aMs = statistic(da, da.counts, q);
      const bMs = statistic(db, db.counts, q);
      const repA = ra[k] as Float64Array;
      const repB = rb[k] as Float64Array;
      const differences = repB.map((v, r) => v - (repA[r] as number));
      const ratios = repB.map((v, r) => v / (repA[r] as number) - 1);
      rows.push({
        metric,
        statistic: name,
        aMs,
        bMs,
        differenceMs: bMs - aMs,
        differenceCi: percentileInterval(differences, options.alpha),
        relative: bMs / aMs - 1,
        relativeCi: percentileInterval(ratios, options.alpha),
        pValue: bootstrapP(differences),
      });
    });
  }
  if (rows.length === 0) notes.push('no latency distribution is stored in both runs: nothing to compare');
  const adjusted = holmAdjust(rows.map((r) => r.pValue));
  const differences = rows.map((row, i) => {
    const adjustedP = adjusted[i] ?? 1;
    const full = { ...row, adjustedP, significant: adjustedP < options.alpha };
    return { ...full, sentence: sentence(full) };
  });
  return {
    schemaVersion: 1,
    kind: 'bench-compare',
    a: { runId: a.runId, target: a.target.name, completed: a.requests.completed },
    b: { runId: b.runId, target: b.target.name, completed: b.requests.completed },
    alpha: options.alpha,
    resamples: options.resamples,
    differences,
    notes,
  };
}
