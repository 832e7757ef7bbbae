import type { ProgressEvent } from './progress-pattern.js';

/** One look at a job: its process tree's CPU (percent of one core) and memory, and the whole machine's CPU. */
export interface JobSample {
  atS: number;
  cpuPercent: number;
  rssBytes: number;
  processes: number;
  systemCpuPercent: number;
  /** Mean over GPUs; null when nvidia-smi is absent. */
  gpuUtilPercent: number | null;
}

/** One named value of the progress lines: first, last, extremes, and its change per second (a counter's rate). */
export interface ProgressSeries {
  name: string;
  first: number;
  last: number;
  min: number;
  max: number;
  /** (last − first) / (time of last − time of first); null with fewer than two lines. */
  perS: number | null;
}

/** The stable `yardstick profile --json` document (schemaVersion 1): docs/training.md defines every field. */
export interface JobProfileJson {
  schemaVersion: 1;
  runId: string;
  kind: 'job-profile';
  command: string[];
  /** The job's exit code, or null when a signal ended it. */
  exitCode: number | null;
  signal: string | null;
  wallS: number;
  /** CPU seconds of the whole process tree (children included, reaped ones too). */
  cpuS: number;
  cpuPercent: { mean: number; max: number };
  rssBytes: { mean: number; max: number };
  processesMax: number;
  sampleIntervalMs: number;
  samples: JobSample[];
  /** Stretches of at least two looks in a row where the tree used under `idleBelowPercent` of one core (and the GPUs, when measured, as little). */
  idle: { fromS: number; toS: number }[];
  idleS: number;
  idleBelowPercent: number;
  gpu: { utilPercentMean: number } | { notMeasured: string };
  energy: { cpuPackageJoules: number } | { notMeasured: string };
  progress: { pattern: string; lines: number; series: ProgressSeries[]; events: ProgressEvent[] } | null;
  stdoutTail: string[];
  stderrTail: string[];
}

/** Below this share of one core (percent), a look at the job counts as idle. */
export const IDLE_BELOW_PERCENT = 10;

/** The idle stretches of a job: runs of at least two consecutive idle looks, from the first look to the last. */
export function idleStretches(samples: readonly JobSample[]): { fromS: number; toS: number }[] {
  const idle = (s: JobSample): boolean =>
    s.cpuPercent < IDLE_BELOW_PERCENT && (s.gpuUtilPercent === null || s.gpuUtilPercent < IDLE_BELOW_PERCENT);
  const stretches: { fromS: number; toS: number }[] = [];
  let start: number | null = null;
  let length = 0;
  let previousAt = 0;
  const close = (): void => {
    if (start !== null && length >= 2) stretches.push({ fromS: start, toS: previousAt });
    start = null;
    length = 0;
  };
  for (const sample of samples) {
    if (idle(sample)) {
      // A look's CPU covers the interval before it: the stretch starts at the look before the first idle one.
      start ??= previousAt;
      length += 1;
    } else close();
    previousAt = sample.atS;
  }
  close();
  return stretches;
}

/** Each named value of the progress lines summarized. */
export function progressSeries(events: readonly ProgressEvent[]): ProgressSeries[] {
  const names = [...new Set(events.flatMap((e) => Object.keys(e.values)))];
  return names.map((name) => {
    const points = events.flatMap((e) => {
      const value = e.values[name];
      return value === undefined ? [] : [{ atS: e.atS, value }];
    });
    const values = points.map((p) => p.value);
    const first = points[0];
    const last = points.at(-1);
    const spanS = first !== undefined && last !== undefined ? last.atS - first.atS : 0;
    return {
      name,
      first: first?.value ?? Number.NaN,
      last: last?.value ?? Number.NaN,
      min: values.reduce((a, b) => Math.min(a, b), Infinity),
      max: values.reduce((a, b) => Math.max(a, b), -Infinity),
      perS:
        points.length >= 2 && spanS > 0 && first !== undefined && last !== undefined
          ? (last.value - first.value) / spanS
          : null,
    };
  });
}
