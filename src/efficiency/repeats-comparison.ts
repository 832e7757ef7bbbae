import { holmAdjust, welchTTest } from '../stats/comparisons.js';
import { tQuantile } from '../stats/distributions.js';
import { sampleMeanVariance } from '../stats/standard-errors.js';
import { holmPText } from './bench-comparison.js';
import type { BenchRepeatsJson, RepeatedStatistic } from './bench-repeats.js';

export interface RepeatsDifference {
  statistic: string;
  unit: RepeatedStatistic['unit'];
  aMean: number;
  bMean: number;
  /** B − A of the means over repeats, with Welch's t interval. */
  difference: number;
  differenceCi: [number, number] | null;
  relative: number;
  /** Welch's t-test over the repeats' values, and after Holm's correction over every row. */
  pValue: number;
  adjustedP: number;
  significant: boolean;
  sentence: string;
}

export interface RepeatsComparison {
  schemaVersion: 1;
  kind: 'bench-repeats-compare';
  a: { runId: string; target: string; repeats: number };
  b: { runId: string; target: string; repeats: number };
  alpha: number;
  differences: RepeatsDifference[];
  notes: string[];
}

function values(summary: BenchRepeatsJson, name: string): number[] {
  return (summary.statistics.find((s) => s.name === name)?.values ?? []).filter(
    (v): v is number => v !== null && Number.isFinite(v),
  );
}

/**
 * Compares two repeated benches statistic by statistic over their repeats (each repeat one observation, so the
 * run-to-run variation is in the interval): Welch's t-test and interval of the difference of means, Holm-corrected.
 */
export function compareRepeatedRuns(a: BenchRepeatsJson, b: BenchRepeatsJson, alpha: number): RepeatsComparison {
  const notes: string[] = [];
  const rows: Omit<RepeatsDifference, 'adjustedP' | 'significant' | 'sentence'>[] = [];
  for (const statistic of a.statistics) {
    const x = values(a, statistic.name);
    const y = values(b, statistic.name);
    if (x.length < 2 || y.length < 2) {
      notes.push(`${statistic.name}: fewer than two repeats measured it in a run; not compared`);
      continue;
    }
    const test = welchTTest(y, x);
    const ax = sampleMeanVariance(x);
    const by = sampleMeanVariance(y);
    const difference = by.mean - ax.mean;
    const se = Math.sqrt(ax.variance / x.length + by.variance / y.length);
    const half = test.df === undefined || !Number.isFinite(test.df) ? null : tQuantile(1 - alpha / 2, test.df) * se;
    rows.push({
      statistic: statistic.name,
      unit: statistic.unit,
      aMean: ax.mean,
      bMean: by.mean,
      difference,
      differenceCi: half === null || !Number.isFinite(half) ? null : [difference - half, difference + half],
      relative: difference / ax.mean,
      pValue: Number.isNaN(test.pValue) ? 1 : test.pValue,
    });
  }
  const adjusted = holmAdjust(rows.map((r) => r.pValue));
  return {
    schemaVersion: 1,
    kind: 'bench-repeats-compare',
    a: { runId: a.runId, target: a.target.name, repeats: a.repeats },
    b: { runId: b.runId, target: b.target.name, repeats: b.repeats },
    alpha,
    differences: rows.map((row, i) => {
      const adjustedP = adjusted[i] ?? 1;
      const significant = adjustedP < alpha;
      const p = holmPText(adjustedP);
      const direction = row.difference < 0 ? 'lower' : 'higher';
      const sentence = significant
        ? `B's ${row.statistic} is ${(Math.abs(row.relative) * 100).toFixed(1)}% ${direction} over the repeats (${p})`
        : `B's ${row.statistic}: no significant difference over the repeats (${(row.relative * 100).toFixed(1)}%, ${p})`;
      return { ...row, adjustedP, significant, sentence };
    }),
    notes,
  };
}
