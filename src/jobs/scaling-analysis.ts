import { tQuantile } from '../stats/distributions.js';
import { meanTInterval, standardErrorOfMean } from '../stats/standard-errors.js';
import {
  amdahlKnee,
  amdahlSpeedup,
  fitAmdahl,
  fitGustafson,
  gustafsonKnee,
  gustafsonSpeedup,
  karpFlatt,
  type SerialFractionFit,
} from './scaling-laws.js';

/** What was measured at one worker count: seconds per unit of work, per repeat (and, weak, one worker's at the same size). */
export interface ScalingMeasurements {
  workers: number;
  secondsPerUnit: readonly number[];
  /** Weak scaling: one worker's seconds per unit of work at this count's problem size, per repeat (paired by index). */
  referenceSecondsPerUnit?: readonly number[];
}

/** A mean over repeats with its t interval (null with one repeat). */
export interface MeanWithInterval {
  mean: number;
  interval: [number, number] | null;
}

export interface ScalingRow {
  workers: number;
  repeats: number;
  secondsPerUnit: MeanWithInterval;
  /** Units of work per second: 1 / seconds per unit, with the interval's ends inverted. */
  unitsPerS: MeanWithInterval;
  /** Strong: T(base) / T(n). Weak: the scaled speedup, one worker's time at this size over n workers'. */
  speedup: { value: number; interval: [number, number] | null } | null;
  /** Strong: speedup × base / n. Weak: scaled speedup / n. */
  efficiency: number | null;
  /** Weak only: T(base) / T(n), each at its own size (1 when the time stays flat as workers and work grow together). */
  weakEfficiency: number | null;
  /** Strong, base 1: Karp–Flatt's serial fraction from this count's speedup. */
  karpFlatt: number | null;
  /** The fitted law's speedup at this count. */
  fitted: number | null;
}

export interface ScalingPrediction {
  workers: number;
  speedup: number;
  interval: [number, number] | null;
}

export interface ScalingAnalysis {
  mode: 'strong' | 'weak';
  law: 'amdahl' | 'gustafson';
  /** The worker count speedups are measured against (strong: the smallest measured; weak: one worker). */
  baseWorkers: number;
  fit: SerialFractionFit | null;
  rows: ScalingRow[];
  efficiencyBound: number;
  /** The first count whose efficiency is below the bound: measured among the counts run, and predicted by the law. */
  knee: { measured: number | null; predicted: number | null };
  /** The law's speedup at 2, 4 and 8 times the largest count run, with the ends of the serial fraction's interval. */
  predictions: ScalingPrediction[];
  /** Amdahl's ceiling on the speedup over the base, as workers grow without bound; null when s is 0 or weak. */
  limitSpeedup: number | null;
  confidence: number;
}

function meanOf(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

function unitsPerS(time: MeanWithInterval): MeanWithInterval {
  const inverse = (x: number): number => (x > 0 ? 1 / x : Number.POSITIVE_INFINITY);
  return {
    mean: inverse(time.mean),
    interval: time.interval === null ? null : [inverse(time.interval[1]), inverse(time.interval[0])],
  };
}

/**
 * The ratio of two means with an interval by the delta method on its logarithm (relative standard errors added in
 * quadrature; t at the smaller sample's degrees of freedom); null interval with fewer than two values in either.
 */
function ratioOfMeans(
  numerator: readonly number[],
  denominator: readonly number[],
  confidence: number,
): { value: number; interval: [number, number] | null } {
  const top = meanOf(numerator);
  const bottom = meanOf(denominator);
  const value = top / bottom;
  if (numerator.length < 2 || denominator.length < 2) return { value, interval: null };
  const seTop = standardErrorOfMean(numerator);
  const seBottom = standardErrorOfMean(denominator);
  const relative = Math.sqrt((seTop / top) ** 2 + (seBottom / bottom) ** 2);
  const t = tQuantile(1 - (1 - confidence) / 2, Math.min(numerator.length, denominator.length) - 1);
  return { value, interval: [value * Math.exp(-t * relative), value * Math.exp(t * relative)] };
}

function predictions(
  largest: number,
  speedupAt: (s: number, n: number) => number,
  fit: SerialFractionFit,
): ScalingPrediction[] {
  return [2, 4, 8].map((factor) => {
    const workers = largest * factor;
    const [low, high] = fit.interval ?? [fit.serialFraction, fit.serialFraction];
    // A larger serial fraction gives a smaller speedup past the base under both laws.
    return {
      workers,
      speedup: speedupAt(fit.serialFraction, workers),
      interval: fit.interval === null ? null : [speedupAt(high, workers), speedupAt(low, workers)],
    };
  });
}

function strongScaling(measured: readonly ScalingMeasurements[], bound: number, confidence: number): ScalingAnalysis {
  const base = measured[0];
  const baseWorkers = base?.workers ?? 1;
  const fit = fitAmdahl(
    measured.flatMap((m) => m.secondsPerUnit.map((secondsPerUnit) => ({ workers: m.workers, secondsPerUnit }))),
    confidence,
  );
  const rows = measured.map((m): ScalingRow => {
    const time = meanTInterval(m.secondsPerUnit, confidence);
    const speedup = base === undefined ? null : ratioOfMeans(base.secondsPerUnit, m.secondsPerUnit, confidence);
    return {
      workers: m.workers,
      repeats: m.secondsPerUnit.length,
      secondsPerUnit: time,
      unitsPerS: unitsPerS(time),
      speedup,
      efficiency: speedup === null ? null : (speedup.value * baseWorkers) / m.workers,
      weakEfficiency: null,
      karpFlatt: baseWorkers === 1 && speedup !== null ? karpFlatt(speedup.value, m.workers) : null,
      fitted: fit === null ? null : amdahlSpeedup(fit.serialFraction, m.workers, baseWorkers),
    };
  });
  const largest = Math.max(...measured.map((m) => m.workers));
  return {
    mode: 'strong',
    law: 'amdahl',
    baseWorkers,
    fit,
    rows,
    efficiencyBound: bound,
    knee: {
      measured: rows.find((r) => r.efficiency !== null && r.efficiency < bound)?.workers ?? null,
      predicted: fit === null ? null : amdahlKnee(fit.serialFraction, bound, baseWorkers),
    },
    predictions: fit === null ? [] : predictions(largest, (s, n) => amdahlSpeedup(s, n, baseWorkers), fit),
    limitSpeedup:
      fit === null || fit.serialFraction === 0
        ? null
        : (fit.serialFraction + (1 - fit.serialFraction) / baseWorkers) / fit.serialFraction,
    confidence,
  };
}

function weakScaling(measured: readonly ScalingMeasurements[], bound: number, confidence: number): ScalingAnalysis {
  const referenceOf = (m: ScalingMeasurements): readonly number[] =>
    m.workers === 1 ? m.secondsPerUnit : (m.referenceSecondsPerUnit ?? []);
  const fit = fitGustafson(
    measured.flatMap((m) =>
      m.secondsPerUnit.flatMap((parallel, i) => {
        const reference = referenceOf(m)[i];
        return reference === undefined ? [] : [{ workers: m.workers, scaledSpeedup: reference / parallel }];
      }),
    ),
    confidence,
  );
  const base = measured[0];
  const rows = measured.map((m): ScalingRow => {
    const time = meanTInterval(m.secondsPerUnit, confidence);
    const reference = referenceOf(m);
    const speedup = reference.length === 0 ? null : ratioOfMeans(reference, m.secondsPerUnit, confidence);
    // Seconds per unit × units (the size, n) is the run's time: T(base) / T(n) at their own sizes.
    const weakEfficiency =
      base === undefined ? null : (meanOf(base.secondsPerUnit) * base.workers) / (time.mean * m.workers);
    return {
      workers: m.workers,
      repeats: m.secondsPerUnit.length,
      secondsPerUnit: time,
      unitsPerS: unitsPerS(time),
      speedup,
      efficiency: speedup === null ? null : speedup.value / m.workers,
      weakEfficiency,
      karpFlatt: null,
      fitted: fit === null ? null : gustafsonSpeedup(fit.serialFraction, m.workers),
    };
  });
  const largest = Math.max(...measured.map((m) => m.workers));
  return {
    mode: 'weak',
    law: 'gustafson',
    baseWorkers: 1,
    fit,
    rows,
    efficiencyBound: bound,
    knee: {
      measured: rows.find((r) => r.efficiency !== null && r.efficiency < bound)?.workers ?? null,
      predicted: fit === null ? null : gustafsonKnee(fit.serialFraction, bound),
    },
    predictions: fit === null ? [] : predictions(largest, gustafsonSpeedup, fit),
    limitSpeedup: null,
    confidence,
  };
}

/**
 * The scaling of a job over worker counts (ascending; the first is the base): per count its time per unit of work,
 * throughput, speedup and efficiency with intervals; the law fitted (Amdahl for strong scaling, Gustafson for weak)
 * with its serial fraction's interval; the knee where efficiency falls below `bound`; predicted speedups further out.
 */
export function analyzeScaling(
  measured: readonly ScalingMeasurements[],
  options: { mode: 'strong' | 'weak'; efficiencyBound: number; confidence?: number },
): ScalingAnalysis {
  const usable = [...measured].filter((m) => m.secondsPerUnit.length > 0).sort((a, b) => a.workers - b.workers);
  const confidence = options.confidence ?? 0.95;
  return options.mode === 'strong'
    ? strongScaling(usable, options.efficiencyBound, confidence)
    : weakScaling(usable, options.efficiencyBound, confidence);
}
