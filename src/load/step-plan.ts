import type { ArrivalProcess } from './arrivals.js';
import type { TraceSpec } from './trace/trace-replay.js';

/** One schedule to run: a closed loop of virtual users, an open loop of arrivals, or a trace's arrivals replayed. */
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
      /** Stop the step as soon as it is clearly over-saturated (load/saturation.ts): a capacity search's steps. */
      stopWhenSaturated?: boolean;
    }
  | {
      kind: 'trace';
      label: string;
      /** The replay's mean rate: the trace's requests over its scaled span. */
      targetRatePerS: number;
      trace: TraceSpec;
      maxConcurrency: number | null;
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
