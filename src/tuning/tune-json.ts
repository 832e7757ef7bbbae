import type { Configuration } from './search-space.js';

/** A value with its two-sided interval (null when it cannot be bounded from the cases run). */
export interface Bounded {
  value: number;
  interval: [number, number] | null;
}

/** One configuration evaluated on one rung's cases: a stored eval run. */
export interface TrialEvaluation {
  rung: number;
  cases: number;
  /** The eval run. */
  runId: string;
  /** The accuracy metric with its interval (the eval's own). */
  accuracy: Bounded;
  /** p95 of the answers' latency (e2e) with its order-statistic interval; null when no answer was timed. */
  p95LatencyMs: Bounded | null;
  /** Cost per 1,000 requests with the t interval of the per-case cost; null without pricing. */
  costPer1kRequests: Bounded | null;
  /** Failed requests (errors, not wrong answers). */
  errors: number;
  /** Its Pareto rank among the rung's configurations (1: none better on every objective). */
  paretoRank: number;
  /** Whether it went on to the next rung (or, on the last, is among the finalists). */
  kept: boolean;
}

export interface Trial {
  /** `trial N`, numbered in the order the search drew the configurations (also the eval runs' target name). */
  name: string;
  configuration: Configuration;
  evaluations: TrialEvaluation[];
}

/** The stable `yardstick tune --json` document (schemaVersion 1): docs/training.md defines every field. */
export interface TuneJson {
  schemaVersion: 1;
  runId: string;
  kind: 'tune';
  suite: string;
  search: 'grid' | 'random' | 'halving';
  seed: number;
  space: Record<string, unknown[]>;
  /** Configurations in the space, and how many the search evaluated. */
  spaceSize: number;
  metric: string;
  /** Cases in the last rung (every case the study uses). */
  cases: number;
  rungs: { cases: number; configurations: number }[];
  trials: Trial[];
  /** The objectives of the front and of halving's ranking: the metric (higher), p95 latency and cost (lower) where measured. */
  objectives: string[];
  /** The finalists on the Pareto front (evaluated on every case). */
  front: string[];
  recommendation: { trial: string; configuration: Configuration; reason: string; overlapsWith: string[] } | null;
  /** Requests sent over every trial. */
  requests: number;
  notes: string[];
}
