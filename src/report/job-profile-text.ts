import type { JobProfileJson } from '../jobs/job-profile-json.js';

export function mib(bytes: number): string {
  return `${(bytes / 1048576).toFixed(1)} MiB`;
}

/** How the job ended, in words. */
export function jobEnding(p: JobProfileJson): string {
  if (p.signal !== null) return `ended by ${p.signal}`;
  return p.exitCode === 0 ? 'exited 0' : `exited ${String(p.exitCode)} (failed)`;
}

/** The job's resource use in one line: wall time, CPU, memory, processes, idle time, GPU and energy. */
export function jobUsageLine(p: JobProfileJson): string {
  const gpu =
    'notMeasured' in p.gpu
      ? `GPU not measured (${p.gpu.notMeasured})`
      : `GPU ${p.gpu.utilPercentMean.toFixed(0)}% mean`;
  const energy =
    'notMeasured' in p.energy
      ? `CPU energy not measured (${p.energy.notMeasured})`
      : `CPU package ${p.energy.cpuPackageJoules.toFixed(1)} J`;
  return `${p.wallS.toFixed(2)} s wall, ${p.cpuS.toFixed(2)} CPU s (${p.cpuPercent.mean.toFixed(0)}% of one core on average, ${p.cpuPercent.max.toFixed(0)}% at most), RSS ${mib(p.rssBytes.max)} at most over ${p.processesMax} process${p.processesMax === 1 ? '' : 'es'}; idle ${p.idleS.toFixed(1)} s; ${gpu}; ${energy}`;
}

/** Each progress value: first → last, and its rate per second. */
export function progressLines(p: JobProfileJson): string[] {
  if (p.progress === null) return [];
  if (p.progress.lines === 0) return [`progress: no line matched ${p.progress.pattern}`];
  return [
    `progress: ${p.progress.lines} lines matched`,
    ...p.progress.series.map(
      (s) =>
        `  ${s.name}: ${s.first} → ${s.last} (min ${s.min}, max ${s.max})${s.perS === null ? '' : `, ${s.perS.toFixed(3)}/s`}`,
    ),
  ];
}
