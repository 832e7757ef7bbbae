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
