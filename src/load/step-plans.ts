import type { LoadConfig } from './bench-config-schema.js';
import type { EfficiencySummary } from '../efficiency/summary.js';
import type { StepLimits, StepPlan } from './step-plan.js';

/** The limits every step of the run shares, from the load config. */
export function stepLimits(load: LoadConfig): StepLimits {
  return {
    durationMs: load.duration ?? null,
    maxRequests: load.requests ?? null,
    warmup: load.warmup ?? null,
    cooldown: load.cooldown ?? null,
  };
}

/**
 * The steps to run. A sweep runs a synchronous baseline (one user), then as fast as possible, then K constant
 * (or Poisson) rates spread evenly between the two throughputs it measured; `next` sees the steps run so far.
 */
export function nextStep(load: LoadConfig, done: readonly EfficiencySummary[]): StepPlan | null {
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
        arrivals: load.profile === 'rate' ? 'constant' : 'poisson',
        maxConcurrency: load.maxConcurrency ?? null,
        seed: load.seed,
      };
    case 'sweep':
      return nextSweepStep(load, done);
  }
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
    arrivals: load.stepArrivals === 'rate' ? 'constant' : 'poisson',
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
      return load.maxConcurrency;
    case 'rate':
    case 'poisson':
      return load.maxConcurrency ?? 1024;
  }
}
