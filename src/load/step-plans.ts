import type { LoadConfig } from './bench-config-schema.js';
import type { EfficiencySummary } from '../efficiency/summary.js';
import { rampMeanRatePerS } from './arrivals.js';
import { nextSearchStep, type SloSearchSettings } from './slo-search.js';
import type { StepLimits, StepPlan } from './step-plan.js';
import { basename } from 'node:path';
import { traceFormatOf } from './trace/trace-formats.js';

/** The limits every step of the run shares, from the load config. */
export function stepLimits(load: LoadConfig): StepLimits {
  const rampMs = load.profile === 'stages' ? load.stages.reduce((sum, stage) => sum + stage.duration, 0) : null;
  return {
    durationMs: load.duration ?? rampMs,
    maxRequests: load.requests ?? null,
    warmup: load.warmup ?? null,
    cooldown: load.cooldown ?? null,
  };
}

/**
 * The steps to run. A sweep runs a synchronous baseline (one user), then as fast as possible, then K constant
 * (or Poisson) rates spread evenly between the two throughputs it measured; `next` sees the steps run so far.
 */
export function nextStep(
  load: LoadConfig,
  done: readonly EfficiencySummary[],
  traceRatePerS: number | null = null,
): StepPlan | null {
  switch (load.profile) {
    case 'concurrency':
      return done.length === 0
        ? { kind: 'closed', label: `concurrency ${load.concurrency}`, users: load.concurrency, targetRatePerS: null }
        : null;
    case 'throughput':
      return done.length === 0
        ? { kind: 'closed', label: 'throughput', users: load.maxConcurrency, targetRatePerS: null }
        : null;
    case 'rate':
    case 'poisson':
      if (done.length > 0) return null;
      return {
        kind: 'open',
        label: `${load.profile} ${load.ratePerS}/s`,
        targetRatePerS: load.ratePerS,
        arrivals: { kind: load.profile === 'rate' ? 'constant' : 'poisson' },
        maxConcurrency: load.maxConcurrency ?? null,
        seed: load.seed,
      };
    case 'gamma':
      if (done.length > 0) return null;
      return {
        kind: 'open',
        label: `gamma ${load.ratePerS}/s, burstiness ${load.burstiness}`,
        targetRatePerS: load.ratePerS,
        arrivals: { kind: 'gamma', burstiness: load.burstiness },
        maxConcurrency: load.maxConcurrency ?? null,
        seed: load.seed,
      };
    case 'stages': {
      if (done.length > 0) return null;
      const stages = load.stages.map((stage) => ({ durationMs: stage.duration, targetPerS: stage.target }));
      const mean = rampMeanRatePerS(load.startRate, stages);
      return {
        kind: 'open',
        label: `stages ${load.startRate}→${stages.map((s) => s.targetPerS).join('→')}/s`,
        targetRatePerS: Number(mean.toPrecision(6)),
        arrivals: { kind: 'stages', startPerS: load.startRate, stages, poisson: load.stageArrivals === 'poisson' },
        maxConcurrency: load.maxConcurrency ?? null,
        seed: load.seed,
      };
    }
    case 'trace':
      if (done.length > 0) return null;
      return {
        kind: 'trace',
        label: `trace ${basename(load.trace)}${load.timeScale === 1 ? '' : ` ×${load.timeScale}`}`,
        targetRatePerS: Number((traceRatePerS ?? 0).toPrecision(6)),
        trace: {
          path: load.trace,
          format: traceFormatOf(load.trace, load.traceFormat),
          timeScale: load.timeScale,
          blockTokens: load.blockTokens,
        },
        maxConcurrency: load.maxConcurrency ?? null,
      };
    case 'sweep':
      return nextSweepStep(load, done);
    case 'slo-search':
      return nextSearchStep(searchSettings(load), done);
  }
}

/** The search settings of an `slo-search` load; its confirmation lasts `duration` (default three search steps). */
export function searchSettings(load: Extract<LoadConfig, { profile: 'slo-search' }>): SloSearchSettings {
  return {
    objectives: load.objectives,
    startRate: load.startRate,
    maxRate: load.maxRate,
    tolerance: load.tolerance,
    maxSteps: load.maxSteps,
    stepDurationMs: load.stepDuration,
    confirmDurationMs: load.duration ?? 3 * load.stepDuration,
    stepArrivals: load.stepArrivals,
    maxConcurrency: load.maxConcurrency,
    seed: load.seed,
  };
}

function nextSweepStep(
  load: Extract<LoadConfig, { profile: 'sweep' }>,
  done: readonly EfficiencySummary[],
): StepPlan | null {
  if (done.length === 0) return { kind: 'closed', label: 'synchronous', users: 1, targetRatePerS: null };
  if (done.length === 1)
    return { kind: 'closed', label: 'throughput', users: load.maxConcurrency, targetRatePerS: null };
  const i = done.length - 1;
  if (i > load.steps) return null;
  const low = done[0]?.throughput.requestsPerS ?? 0;
  const high = done[1]?.throughput.requestsPerS ?? 0;
  const rate = low + ((high - low) * i) / (load.steps + 1);
  if (!(rate > 0)) return null;
  const rounded = Number(rate.toPrecision(4));
  return {
    kind: 'open',
    label: `${load.stepArrivals} ${rounded}/s`,
    targetRatePerS: rounded,
    arrivals: { kind: load.stepArrivals === 'rate' ? 'constant' : 'poisson' },
    maxConcurrency: load.maxConcurrency,
    seed: load.seed + i,
  };
}

/** Connections the pool needs: enough for the highest concurrency the profile can reach. */
export function maxConnections(load: LoadConfig): number {
  switch (load.profile) {
    case 'concurrency':
      return load.concurrency;
    case 'throughput':
    case 'sweep':
    case 'slo-search':
      return load.maxConcurrency;
    case 'rate':
    case 'poisson':
    case 'gamma':
    case 'stages':
    case 'trace':
      return load.maxConcurrency ?? 1024;
  }
}
