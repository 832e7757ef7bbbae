import { readdirSync } from 'node:fs';
import { CLOCK_TICKS_PER_S, readStatFields } from '../resources/proc.js';

/** One process of a tree as /proc shows it: its parent, CPU seconds (its own and its reaped children's) and RSS. */
export interface ProcessReading {
  pid: number;
  ppid: number;
  /** Its own CPU seconds and those of its children it has reaped. */
  cpuS: number;
  reapedChildrenCpuS: number;
  rssBytes: number;
}

/** Reads one process from /proc; null when it is gone or cannot be read. */
export function readProcess(pid: number): ProcessReading | null {
  const fields = readStatFields(pid);
  if (fields === null) return null;
  const ppid = Number(fields[1]);
  // utime and stime, then cutime and cstime: a child's time moves to its parent once the parent has reaped it.
  const own = Number(fields[11]) + Number(fields[12]);
  const reaped = Number(fields[13]) + Number(fields[14]);
  const rssPages = Number(fields[21]);
  if (!Number.isFinite(ppid) || !Number.isFinite(own) || !Number.isFinite(reaped) || !Number.isFinite(rssPages))
    return null;
  return {
    pid,
    ppid,
    cpuS: (own + reaped) / CLOCK_TICKS_PER_S,
    reapedChildrenCpuS: reaped / CLOCK_TICKS_PER_S,
    rssBytes: rssPages * PAGE_BYTES,
  };
}

/** Linux pages are 4 KiB on the platforms yardstick runs on (x86-64, arm64 with 4 KiB pages). */
const PAGE_BYTES = 4096;

/** Every process under `rootPid` (itself included), found by their parents in /proc. */
export function readProcessTree(rootPid: number): ProcessReading[] {
  const all: ProcessReading[] = [];
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const reading = readProcess(pid);
    if (reading !== null) all.push(reading);
  }
  const children = new Map<number, ProcessReading[]>();
  for (const p of all) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const root = all.find((p) => p.pid === rootPid);
  if (root === undefined) return [];
  const tree: ProcessReading[] = [];
  const pending = [root];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    tree.push(next);
    pending.push(...(children.get(next.pid) ?? []));
  }
  return tree;
}
