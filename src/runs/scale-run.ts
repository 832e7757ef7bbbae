import { hostname } from 'node:os';
import { redactedEnv } from '../config/redact.js';
import { setTimeout as wait } from 'node:timers/promises';
import { checkTemplate, fillTemplate } from '../jobs/command-template.js';
import type { JobProfileJson } from '../jobs/job-profile-json.js';
import { progressPattern } from '../jobs/progress-pattern.js';
import { analyzeScaling, type ScalingMeasurements } from '../jobs/scaling-analysis.js';
import type { ScaleExecution, ScaleJson } from '../jobs/scale-json.js';
import { RunLifecycle } from '../store/run-lifecycle.js';
import type { Store } from '../store/store.js';
import { runJobProfile } from './job-profile-run.js';
import type { ScaleConfig } from './scale-config.js';

export interface ScaleRunOptions {
  store: Store;
  config: ScaleConfig;
  signal: AbortSignal;
  onStarted?: (runId: string) => void;
  /** Told of each execution as it ends. */
  onExecution?: (execution: ScaleExecution, done: number, of: number) => void;
  /** Each line the jobs write, e.g. to pass it on. */
  onLine?: (line: string) => void;
}

interface Planned {
  workers: number;
  size: number;
  repeat: number;
  role: 'point' | 'reference';
}

/**
 * The executions of a study, repeat by repeat and in ascending worker count within each, so slow drift of the machine
 * spreads over every count instead of biasing one; weak scaling adds one worker at each larger count's size.
 */
function plan(config: ScaleConfig): Planned[] {
  const counts = [...config.workers].sort((a, b) => a - b);
  const planned: Planned[] = [];
  for (let repeat = 1; repeat <= config.repeats; repeat += 1)
    for (const workers of counts) {
      const size = config.weak ? workers : 1;
      if (config.weak && workers > 1) planned.push({ workers: 1, size, repeat, role: 'reference' });
      planned.push({ workers, size, repeat, role: 'point' });
    }
  return planned;
}

function secondsPerUnit(profile: JobProfileJson, size: number, config: ScaleConfig): number | string {
  if (profile.exitCode !== 0)
    return profile.signal === null ? `exited with ${String(profile.exitCode)}` : `ended by ${profile.signal}`;
  if (config.throughput === undefined) return profile.wallS / size;
  const rate = profile.progress?.series.find((s) => s.name === config.throughput)?.perS ?? null;
  if (rate === null || !(rate > 0))
    return `its output gave no rising '${config.throughput}' (two progress lines or more are needed for a rate)`;
  return 1 / rate;
}

function measurements(config: ScaleConfig, executions: readonly ScaleExecution[]): ScalingMeasurements[] {
  const valuesOf = (workers: number, role: ScaleExecution['role']): number[] =>
    executions.flatMap((e) =>
      e.workers === workers && e.role === role && e.secondsPerUnit !== null ? [e.secondsPerUnit] : [],
    );
  return config.workers.map((workers) => {
    const references = executions.filter((e) => e.role === 'reference' && e.size === workers);
    const points = executions.filter((e) => e.role === 'point' && e.workers === workers);
    // Weak scaling pairs each point with the reference of its repeat; a pair missing either side is left out.
    const paired = points.filter((p) =>
      references.some((r) => r.repeat === p.repeat && r.secondsPerUnit !== null && p.secondsPerUnit !== null),
    );
    return config.weak && workers > 1
      ? {
          workers,
          secondsPerUnit: paired.map((p) => p.secondsPerUnit ?? 0),
          referenceSecondsPerUnit: paired.map(
            (p) => references.find((r) => r.repeat === p.repeat)?.secondsPerUnit ?? 0,
          ),
        }
      : { workers, secondsPerUnit: valuesOf(workers, 'point') };
  });
}

/**
 * Runs a scaling study: the command at each worker count (`{{workers}}`, `{{size}}` filled in), each execution
 * profiled and stored as a `job-profile` run, then the analysis (speedup, efficiency, the fitted law, the knee) as a
 * `scale` run. A failed execution is kept and left out of the analysis; an interrupt stops after the current one.
 */
export async function runScale(options: ScaleRunOptions): Promise<ScaleJson> {
  const { config } = options;
  const template = { command: config.command, env: config.env };
  checkTemplate(template, config.weak);
  const progress = config.progress === undefined ? null : progressPattern(config.progress);
  const run = await RunLifecycle.start<'scale', ScaleJson>(options.store, {
    kind: 'scale',
    config: { ...config, env: redactedEnv(config.env) },
    target: {
      kind: 'command',
      name: config.command.join(' ').slice(0, 120),
      url: `process://${hostname()}`,
      model: null,
      streaming: false,
    },
  });
  options.onStarted?.(run.id);
  const planned = plan(config);
  const executions: ScaleExecution[] = [];
  try {
    for (const step of planned) {
      if (options.signal.aborted) break;
      if (executions.length > 0 && config.pause > 0)
        await wait(config.pause, undefined, { signal: options.signal }).catch(() => undefined);
      const filled = fillTemplate(template, step);
      const profile = await runJobProfile({
        store: options.store,
        command: [...filled.command],
        env: filled.env,
        sampleIntervalMs: config.interval,
        progress,
        signal: options.signal,
        ...(options.onLine === undefined ? {} : { onLine: options.onLine }),
      });
      const measured = secondsPerUnit(profile, step.size, config);
      const execution: ScaleExecution = {
        ...step,
        runId: profile.runId,
        exitCode: profile.exitCode,
        signal: profile.signal,
        wallS: profile.wallS,
        cpuS: profile.cpuS,
        secondsPerUnit: typeof measured === 'number' ? measured : null,
        failure: typeof measured === 'string' ? measured : null,
      };
      executions.push(execution);
      options.onExecution?.(execution, executions.length, planned.length);
    }
  } catch (error) {
    await run.fail();
    throw error;
  }
  const summary: ScaleJson = {
    schemaVersion: 1,
    runId: run.id,
    kind: 'scale',
    source: 'command',
    command: [...config.command],
    env: redactedEnv(config.env),
    measure: config.throughput === undefined ? { by: 'wall-time' } : { by: 'progress-rate', name: config.throughput },
    workers: [...config.workers].sort((a, b) => a - b),
    repeats: config.repeats,
    executions,
    failures: executions.filter((e) => e.failure !== null).length,
    analysis: analyzeScaling(measurements(config, executions), {
      mode: config.weak ? 'weak' : 'strong',
      efficiencyBound: config.efficiencyBound,
    }),
  };
  await run.finish(options.signal.aborted ? 'interrupted' : 'completed', summary);
  return summary;
}
