// What the proxy memory benchmarks (proxy-soak, proxy-memory-parts) share: the proxy in front of the simulator with a
// store, and its memory read from /proc and from its own /metrics.
import { readFileSync } from 'node:fs';
import { CLI, startServer } from './lib.mjs';

/**
 * `yardstick proxy` with a store in front of the simulator (its first line `simFirst`), sampling 1% into the store
 * unless `sampling` is false; `nodeFlags` go to Node.js, `options` to spawn.
 */
export function startStoringProxy(store, simFirst, { sampling = true, nodeFlags = [], options = {} } = {}) {
  const args = [CLI, '--store', store, 'proxy', '--upstream', simFirst.replace(/\/v1$/, ''), '--listen', '127.0.0.1:0'];
  return startServer(process.execPath, [...nodeFlags, ...args, ...(sampling ? ['--sample', '1%'] : [])], options);
}

/** A field of /proc/PID/status (VmRSS, RssAnon, RssFile…) in MB. */
export function statusMb(pid, field) {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${field}:`));
  return Number(line?.split(/\s+/)[1] ?? NaN) / 1024;
}

/** The proxy's Prometheus text, and a reader of one series in it (its name with any labels, as written) in MB. */
export async function metricsInMb(metricsUrl) {
  const text = await (await fetch(metricsUrl)).text();
  return (series) => {
    const line = text.split('\n').find((l) => l.startsWith(`${series} `));
    return Number(line?.slice(series.length + 1) ?? NaN) / 2 ** 20;
  };
}

/** glibc gives each thread that allocates a heap of its own, aligned to 64 MiB (HEAP_MAX_SIZE on 64-bit). */
const GLIBC_ARENA_ALIGN = 64n * 2n ** 20n;
/** V8 maps its heap in pages of 256 KiB, each a mapping of its own. */
const V8_PAGE_KB = 256;

/** What a mapping of /proc/PID/smaps holds, from its name, size and address. */
function kindOfMapping(start, sizeKb, name) {
  if (name.startsWith('/')) return 'fileMb';
  if (name === '[heap]') return 'mainMallocMb';
  if (name !== '') return 'otherMb';
  if (sizeKb === V8_PAGE_KB) return 'v8PagesMb';
  if (BigInt(`0x${start}`) % GLIBC_ARENA_ALIGN === 0n) return 'threadMallocMb';
  return sizeKb >= 1024 ? 'otherAnonLargeMb' : 'otherAnonSmallMb';
}

/**
 * The process's RSS by what holds it, in MB, from /proc/PID/smaps: `mainMallocMb` glibc's main heap (brk),
 * `threadMallocMb` glibc's heaps of other threads, `v8PagesMb` V8's heap pages, `otherAnonLargeMb` and
 * `otherAnonSmallMb` other anonymous mappings of at least and under 1 MiB (V8's code and large objects, big buffers,
 * thread stacks; another allocator's memory), `fileMb` mapped files (code, SQLite's shared memory), `otherMb` the
 * rest (stack, vdso).
 */
export function smapsKindsMb(pid) {
  const kinds = {
    mainMallocMb: 0,
    threadMallocMb: 0,
    v8PagesMb: 0,
    otherAnonLargeMb: 0,
    otherAnonSmallMb: 0,
    fileMb: 0,
    otherMb: 0,
  };
  let kind = null;
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const mapping = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (mapping !== null) {
      const sizeKb = (parseInt(mapping[2], 16) - parseInt(mapping[1], 16)) / 1024;
      kind = kindOfMapping(mapping[1], sizeKb, mapping[3]);
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss !== null && kind !== null) kinds[kind] += Number(rss[1]) / 1024;
  }
  return kinds;
}
