import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** Clock ticks per second of /proc CPU times; 100 on every mainstream Linux build. */
export const CLOCK_TICKS_PER_S = 100;

/**
 * The fields of `/proc/PID/stat` after the command name (state, ppid, …: field n of proc(5) at index n − 3); null
 * when the process is gone or cannot be read. The name may hold spaces and parentheses; the fields after its last ')'
 * are fixed.
 */
export function readStatFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** CPU seconds (user + system) and resident bytes of another process, from /proc; null when it cannot be read. */
export function readProcessUsage(pid: number): { cpuS: number; rssBytes: number } | null {
  const fields = readStatFields(pid);
  if (fields === null) return null;
  try {
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
    if (!Number.isFinite(utime) || !Number.isFinite(stime) || !Number.isFinite(rssKb)) return null;
    return { cpuS: (utime + stime) / CLOCK_TICKS_PER_S, rssBytes: rssKb * 1024 };
  } catch {
    return null;
  }
}

/** Busy and total CPU time over all cores, in ms, for computing system utilization between two readings. */
export function readSystemCpuMs(): { busyMs: number; totalMs: number } {
  let busyMs = 0;
  let totalMs = 0;
  for (const cpu of cpus()) {
    const { user, nice, sys, idle, irq } = cpu.times;
    busyMs += user + nice + sys + irq;
    totalMs += user + nice + sys + idle + irq;
  }
  return { busyMs, totalMs };
}

/** The command line of another process (arguments joined by spaces), from /proc; null when it cannot be read. */
export function readCommandLine(pid: number): string | null {
  try {
    const raw = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    const line = raw
      .split('\0')
      .filter((arg) => arg !== '')
      .join(' ');
    return line === '' ? null : line;
  } catch {
    return null;
  }
}
