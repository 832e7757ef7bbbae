import { describe, expect, it } from 'vitest';
import { seededRandom } from '../core/random.js';
import { bootstrapCountsPercentiles, bootstrapPercentile, bootstrapPercentiles } from '../stats/bootstrap.js';
import type { Interval } from '../stats/proportion-intervals.js';
import { expectedCalibrationError } from './calibration.js';
import { confusionFromCodes } from './confusion-matrix.js';
import { matthewsCorrcoef, precisionRecallF } from './classification.js';
import {
  averagePrecisionInterval,
  calibrationErrorInterval,
  deLongInterval,
  meanInterval,
  medianInterval,
  pearsonInterval,
  ratioScoreInterval,
  spearmanInterval,
} from './large-sample-intervals.js';
import * as regression from './regression.js';
import { averagePrecision, brierScore, rocAucBinary } from './scores.js';
import { sortedClasses } from './sorted-classes.js';

const OPTIONS = { resamples: 600, confidence: 0.95, seed: 1 };

/** Both ends within a share of the bootstrap interval's width (Monte Carlo error of 1,000 resamples is a few %). */
function expectClose(interval: Interval | null, bootstrap: Interval | null, share = 0.15): void {
  expect(interval).not.toBeNull();
  expect(bootstrap).not.toBeNull();
  if (interval === null || bootstrap === null) return;
  const width = bootstrap.high - bootstrap.low;
  expect(Math.abs(interval.low - bootstrap.low)).toBeLessThan(share * width);
  expect(Math.abs(interval.high - bootstrap.high)).toBeLessThan(share * width);
}

function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

describe('DeLong', () => {
  it('has the variance of its definition: the structural components counted pair by pair (ties one half)', () => {
    const random = seededRandom(4);
    const positives = Array.from({ length: 60 }, () => random() < 0.4);
    const scores = Float64Array.from(positives, (p) => Math.round((random() + (p ? 0.3 : 0)) * 10) / 10);
    const pos = scores.filter((_, i) => positives[i] === true);
    const neg = scores.filter((_, i) => positives[i] !== true);
    const psi = (x: number, y: number): number => (x > y ? 1 : x === y ? 0.5 : 0);
    const v10 = Array.from(pos, (x) => neg.reduce((s, y) => s + psi(x, y), 0) / neg.length);
    const v01 = Array.from(neg, (y) => pos.reduce((s, x) => s + psi(x, y), 0) / pos.length);
    const variance = (v: number[]): number => {
      const m = v.reduce((a, b) => a + b, 0) / v.length;
      return v.reduce((a, x) => a + (x - m) ** 2, 0) / (v.length - 1);
    };
    const auc = rocAucBinary(positives, scores);
    const se = Math.sqrt(variance(v10) / pos.length + variance(v01) / neg.length);
    const interval = deLongInterval(sortedClasses(positives, scores), 0.95);
    expect(interval?.low).toBeCloseTo(Math.max(0, auc - 1.959963984540054 * se), 12);
    expect(interval?.high).toBeCloseTo(Math.min(1, auc + 1.959963984540054 * se), 12);
  });
});

describe('large-sample intervals agree with the row bootstrap where both apply', () => {
  const random = seededRandom(9);
  const n = 8000;
  const positives = Array.from({ length: n }, () => random() < 0.3);
  const probabilities = Float64Array.from(positives, (p) =>
    Math.min(1, Math.max(0, (p ? 0.55 : 0.35) + 0.2 * normal(random))),
  );
  const pick = (indices: Uint32Array): { p: boolean[]; s: Float64Array } => ({
    p: Array.from(indices, (i) => positives[i] as boolean),
    s: Float64Array.from(indices, (i) => probabilities[i] as number),
  });

  it('ROC AUC (DeLong), average precision (logit), Brier score and ECE (delta method)', () => {
    const sorted = sortedClasses(positives, probabilities);
    const [auc, ap, brier, ece] = bootstrapPercentiles(
      n,
      (indices) => {
        const { p, s } = pick(indices);
        return [rocAucBinary(p, s), averagePrecision(p, s), brierScore(p, s), expectedCalibrationError(p, s)];
      },
      OPTIONS,
    );
    expectClose(deLongInterval(sorted, 0.95), auc ?? null);
    const apValue = averagePrecision(positives, probabilities);
    expectClose(averagePrecisionInterval(apValue, sorted.positives.length, 0.95), ap ?? null, 0.25);
    const brierValue = brierScore(positives, probabilities);
    expectClose(
      meanInterval(brierValue, n, (i) => ((probabilities[i] as number) - (positives[i] === true ? 1 : 0)) ** 2, 0.95),
      brier ?? null,
    );
    const eceValue = expectedCalibrationError(positives, probabilities);
    expectClose(calibrationErrorInterval(positives, probabilities, eceValue, 0.95), ece ?? null, 0.25);
  });

  it('R², explained variance, Pearson (delta method), the median absolute error (order statistics) and Spearman (Fisher z)', () => {
    const t = Float64Array.from({ length: n }, () => normal(random) * 3 + 10);
    const p = Float64Array.from(t, (v) => v + normal(random) * (0.5 + Math.abs(v - 10) / 3));
    const pair = (indices: Uint32Array): [Float64Array, Float64Array] => [
      Float64Array.from(indices, (i) => t[i] as number),
      Float64Array.from(indices, (i) => p[i] as number),
    ];
    const error = (i: number): number => (t[i] as number) - (p[i] as number);
    let tMean = 0;
    let eMean = 0;
    for (let i = 0; i < n; i += 1) {
      tMean += (t[i] as number) / n;
      eMean += error(i) / n;
    }
    const deviation = (i: number): number => ((t[i] as number) - tMean) ** 2;
    const [r2, explained, pearson, median, spearman] = bootstrapPercentiles(
      n,
      (indices) => {
        const [a, b] = pair(indices);
        return [
          regression.r2Score(a, b),
          regression.explainedVarianceScore(a, b),
          regression.pearsonR(a, b),
          regression.medianAbsoluteError(a, b),
          regression.spearmanR(a, b),
        ];
      },
      OPTIONS,
    );
    expectClose(
      ratioScoreInterval(regression.r2Score(t, p), n, (i) => error(i) ** 2, deviation, 0.95),
      r2 ?? null,
    );
    expectClose(
      ratioScoreInterval(regression.explainedVarianceScore(t, p), n, (i) => (error(i) - eMean) ** 2, deviation, 0.95),
      explained ?? null,
    );
    expectClose(pearsonInterval(t, p, regression.pearsonR(t, p), 0.95), pearson ?? null);
    const absolute = Float64Array.from({ length: n }, (_, i) => Math.abs(error(i))).sort();
    expectClose(medianInterval(absolute, 0.95), median ?? null, 0.3);
    expectClose(spearmanInterval(regression.spearmanR(t, p), n, 0.95), spearman ?? null, 0.3);
  });
});

describe('the bootstrap of a confusion matrix', () => {
  it('gives the intervals resampling the rows gives (the same distribution, drawn from the matrix)', () => {
    const random = seededRandom(12);
    const n = 3000;
    const truth = Int32Array.from({ length: n }, () => Math.floor(random() * 3));
    const pred = truth.map((t) => (random() < 0.7 ? t : Math.floor(random() * 3)));
    const labels = [0, 1, 2];
    const statistics = (cm: ReturnType<typeof confusionFromCodes>): number[] => [
      precisionRecallF(cm, { average: 'macro' }).fScore,
      matthewsCorrcoef(cm),
    ];
    const cm = confusionFromCodes(truth, pred, labels);
    const options = { resamples: 2000, confidence: 0.95, seed: 3 };
    const fromCounts = bootstrapCountsPercentiles(
      cm.counts,
      (counts) => statistics({ labels, counts, size: 3 }),
      options,
    );
    const fromRows = [0, 1].map((k) =>
      bootstrapPercentile(
        n,
        (indices) =>
          statistics(
            confusionFromCodes(
              Int32Array.from(indices, (i) => truth[i] as number),
              Int32Array.from(indices, (i) => pred[i] as number),
              labels,
            ),
          )[k] as number,
        options,
      ),
    );
    expectClose(fromCounts[0] ?? null, fromRows[0] ?? null, 0.06);
    expectClose(fromCounts[1] ?? null, fromRows[1] ?? null, 0.06);
  });
});
