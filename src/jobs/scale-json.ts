import type { ScalingAnalysis } from './scaling-analysis.js';

/** One execution of the job in a scaling study, stored as its own `job-profile` run. */
export interface ScaleExecution {
  workers: number;
  /** The problem size it was given (`{{size}}`). */
  size: number;
  /** 1-based. */
  repeat: number;
  /** `point`: n workers at this count's size; `reference`: one worker at the same size (weak scaling only). */
  role: 'point' | 'reference';
  /** The execution's job-profile run (a bench run's own id for a study of replicas). */
  runId: string;
  exitCode: number | null;
  signal: string | null;
  wallS: number;
  /** CPU seconds of the job's process tree; null for a bench run. */
  cpuS: number | null;
  /** Seconds per unit of work (wall time / size, or 1 / the progress rate); null when it failed. */
  secondsPerUnit: number | null;
  /** Why this execution is left out of the analysis; null when it counts. */
  failure: string | null;
}

/** The stable `yardstick scale --json` document (schemaVersion 1): docs/training.md defines every field. */
export interface ScaleJson {
  schemaVersion: 1;
  runId: string;
  kind: 'scale';
  /** `command`: the job run at each count; `bench-runs`: stored bench runs at replica counts. */
  source: 'command' | 'bench-runs';
  command: string[];
  env: Record<string, string>;
  /** How a unit of work's time is measured: the wall time over the size, or a progress value's rate. */
  measure:
    | { by: 'wall-time' }
    | { by: 'progress-rate'; name: string }
    | { by: 'request-rate'; throughput: 'requests' | 'output-tokens' | 'goodput' };
  workers: number[];
  repeats: number;
  executions: ScaleExecution[];
  /** Executions left out (a failed job, a rate it did not report). */
  failures: number;
  analysis: ScalingAnalysis;
}
