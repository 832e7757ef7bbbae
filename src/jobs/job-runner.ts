import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { messageOf, usageError } from '../core/errors.js';
import { readGpu } from '../resources/gpu.js';
import { readSystemCpuMs } from '../resources/proc.js';
import { RaplCounters } from '../resources/rapl.js';
import {
  IDLE_BELOW_PERCENT,
  idleStretches,
  progressSeries,
  type JobProfileJson,
  type JobSample,
} from './job-profile-json.js';
import { readProcess, readProcessTree } from './process-tree.js';
import { progressValues, ProgressLog } from './progress-pattern.js';

export interface JobOptions {
  command: string[];
  /** Variables set for the job on top of yardstick's own environment. */
  env?: Readonly<Record<string, string>>;
  sampleIntervalMs: number;
  progress: RegExp | null;
  /** Called with each line the job writes (stdout and stderr), e.g. to pass it on. */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  signal: AbortSignal;
}

/** Lines kept of each stream's end. */
const TAIL_LINES = 40;
/** Looks kept at most; past it every other one is dropped. */
const MAX_SAMPLES = 5000;

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}

/**
 * Runs a command (no shell) to its end and watches it: its process tree's CPU and memory, the machine's CPU, GPUs and
 * CPU energy where they can be read, the progress its output reports, and the end of its output. An interrupt
 * passes SIGINT on to the job. Fails with exit 2 when the command cannot be started.
 */
export async function profileJob(options: JobOptions): Promise<Omit<JobProfileJson, 'runId'>> {
  const [file, ...args] = options.command;
  if (file === undefined)
    throw usageError('COMMAND_MISSING', 'no command to run', 'e.g. yardstick profile -- python train.py');
  // Once the job has ended and been reaped, its whole CPU time (with its own reaped children's) is in this
  // process's children's time: the total, where the looks end at its last one.
  const reapedBefore = readProcess(process.pid)?.reapedChildrenCpuS ?? null;
  const child = spawn(file, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.env === undefined ? {} : { env: { ...process.env, ...options.env } }),
  });
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', () => resolve());
    child.once('error', (error) =>
      reject(
        usageError(
          'COMMAND_UNAVAILABLE',
          `cannot run '${file}': ${messageOf(error)}`,
          'check the command and its path',
        ),
      ),
    );
  });
  const startedMs = performance.now();
  const pid = child.pid ?? -1;
  const log = new ProgressLog();
  const tails = { stdout: [] as string[], stderr: [] as string[] };
  for (const stream of ['stdout', 'stderr'] as const) {
    createInterface({ input: child[stream] }).on('line', (line) => {
      const tail = tails[stream];
      tail.push(line);
      if (tail.length > TAIL_LINES) tail.shift();
      options.onLine?.(line, stream);
      const values = options.progress === null ? null : progressValues(options.progress, line);
      if (values !== null) log.add({ atS: (performance.now() - startedMs) / 1000, values });
    });
  }
  const interrupt = (): void => void child.kill('SIGINT');
  options.signal.addEventListener('abort', interrupt);

  const samples: JobSample[] = [];
  const rapl = RaplCounters.open();
  const energyAtStart = rapl?.read() ?? null;
  let gpuAvailable = true;
  let lastCpuS = 0;
  let lastAtMs = startedMs;
  let lastSystem = readSystemCpuMs();
  const look = async (): Promise<void> => {
    const tree = readProcessTree(pid);
    if (tree.length === 0) return;
    const nowMs = performance.now();
    const cpuS = tree.reduce((sum, p) => sum + p.cpuS, 0);
    const system = readSystemCpuMs();
    const totalDelta = system.totalMs - lastSystem.totalMs;
    const gpu = gpuAvailable ? await readGpu() : null;
    if (gpu === null) gpuAvailable = false;
    samples.push({
      atS: (nowMs - startedMs) / 1000,
      cpuPercent: Math.max(0, ((cpuS - lastCpuS) * 1000 * 100) / Math.max(1, nowMs - lastAtMs)),
      rssBytes: tree.reduce((sum, p) => sum + p.rssBytes, 0),
      processes: tree.length,
      systemCpuPercent: totalDelta > 0 ? ((system.busyMs - lastSystem.busyMs) / totalDelta) * 100 : 0,
      gpuUtilPercent: gpu?.utilPercent ?? null,
    });
    if (samples.length > MAX_SAMPLES) samples.splice(0, samples.length, ...samples.filter((_, i) => i % 2 === 0));
    lastCpuS = Math.max(lastCpuS, cpuS);
    lastAtMs = nowMs;
    lastSystem = system;
  };
  const timer = setInterval(() => void look(), options.sampleIntervalMs);
  const ended = await new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  clearInterval(timer);
  options.signal.removeEventListener('abort', interrupt);
  const wallS = (performance.now() - startedMs) / 1000;
  const reapedAfter = readProcess(process.pid)?.reapedChildrenCpuS ?? null;
  const totalCpuS =
    reapedBefore === null || reapedAfter === null ? lastCpuS : Math.max(lastCpuS, reapedAfter - reapedBefore);
  const energyAtEnd = rapl?.read() ?? null;
  const joules =
    rapl !== null && energyAtStart !== null && energyAtEnd !== null
      ? rapl.joulesBetween(energyAtStart, energyAtEnd)
      : null;
  const idle = idleStretches(samples);
  const gpuValues = samples.flatMap((s) => (s.gpuUtilPercent === null ? [] : [s.gpuUtilPercent]));
  return {
    schemaVersion: 1,
    kind: 'job-profile',
    command: options.command,
    exitCode: ended.code,
    signal: ended.signal,
    wallS,
    cpuS: totalCpuS,
    cpuPercent: {
      mean: wallS > 0 ? (totalCpuS / wallS) * 100 : 0,
      max: Math.max(0, ...samples.map((s) => s.cpuPercent)),
    },
    rssBytes: { mean: mean(samples.map((s) => s.rssBytes)), max: Math.max(0, ...samples.map((s) => s.rssBytes)) },
    processesMax: Math.max(0, ...samples.map((s) => s.processes)),
    sampleIntervalMs: options.sampleIntervalMs,
    samples,
    idle,
    idleS: idle.reduce((sum, s) => sum + (s.toS - s.fromS), 0),
    idleBelowPercent: IDLE_BELOW_PERCENT,
    gpu:
      gpuValues.length === 0 ? { notMeasured: 'nvidia-smi is absent or failed' } : { utilPercentMean: mean(gpuValues) },
    energy:
      joules === null
        ? { notMeasured: 'no readable RAPL counters under /sys/class/powercap' }
        : { cpuPackageJoules: joules },
    progress:
      options.progress === null
        ? null
        : {
            pattern: options.progress.source,
            lines: log.lines,
            series: progressSeries(log.events),
            events: log.events,
          },
    stdoutTail: tails.stdout,
    stderrTail: tails.stderr,
  };
}
