import type { ArrivalProcess } from './arrivals.js';

/** One schedule to run: a closed loop of virtual users, or an open loop of arrivals. */
export type StepPlan =
  | { kind: 'closed'; label: string; users: number; targetRatePerS: null }
  | {
      kind: 'open';
      label: string;
      targetRatePerS: number;
      arrivals: ArrivalProcess;
      maxConcurrency: number | null;
      seed: number;
      /** This step's own sending time, instead of the run's `duration` (a capacity search's steps). */
      durationMs?: number;
    };

/** Limits and exclusions shared by every step of a run. */
export interface StepLimits {
  /** Stop sending new requests this long after the step starts; null for no time limit. */
  durationMs: number | null;
  /** Stop after this many requests in the step; null for no count limit. */
  maxRequests: number | null;
  warmup: { fraction: number } | { ms: number } | null;
  cooldown: { fraction: number } | { ms: number } | null;
}
