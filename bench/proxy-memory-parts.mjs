// Where the proxy's memory is: the proxy soak's setup (bench/proxy-soak.mjs: the simulator streaming 8 tokens, the
// proxy sampling 1% into a store) at BENCH_MEMORY_RATE streamed requests/s (1,000) for BENCH_MEMORY_S seconds (600),
// with BENCH_MEMORY_NO_SAMPLING=1 not sampling at all. Every 10 s: RSS split into anonymous and file-backed memory
// (/proc), and V8's heap, reserved and in use, with its code and old spaces (the proxy's own /metrics). Growth of
// anonymous memory that the heap's reserved size does not follow is native memory: the allocator, SQLite, sockets.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, startServer, startSimulator, streamedRateArgs, yardstickBench } from './lib.mjs';

const DURATION_S = Number(process.env.BENCH_MEMORY_S ?? 600);
const RATE = Number(process.env.BENCH_MEMORY_RATE ?? 1000);
const SAMPLING = process.env.BENCH_MEMORY_NO_SAMPLING !== '1';

/** A field of /proc/PID/status in MB. */
function statusMb(pid, field) {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${field}:`));
  return Number(line?.split(/\s+/)[1] ?? NaN) / 1024;
}

export async function proxyMemoryParts() {
  const sim = await startSimulator('5ms', '2ms', 8);
  const store = join(mkdtempSync(join(tmpdir(), 'ys-memory-')), 'soak.db');
  const proxy = await startServer(process.execPath, [
    CLI,
    '--store',
    store,
    'proxy',
    '--upstream',
    sim.first.replace(/\/v1$/, ''),
    '--listen',
    '127.0.0.1:0',
    ...(SAMPLING ? ['--sample', '1%'] : []),
  ]);
  const started = Date.now();
  const samples = [];
  const timer = setInterval(async () => {
    const text = await (await fetch(`${proxy.first}/metrics`)).text();
    const mb = (pattern) => Number(pattern.exec(text)?.[1] ?? NaN) / 2 ** 20;
    samples.push({
      atS: Math.round((Date.now() - started) / 1000),
      rssMb: statusMb(proxy.pid, 'VmRSS'),
      anonymousMb: statusMb(proxy.pid, 'RssAnon'),
      fileMb: statusMb(proxy.pid, 'RssFile'),
      heapReservedMb: mb(/^nodejs_heap_size_total_bytes (\S+)/m),
      heapUsedMb: mb(/^nodejs_heap_size_used_bytes (\S+)/m),
      codeSpaceMb: mb(/^nodejs_heap_space_size_total_bytes\{space="code"\} (\S+)/m),
      oldSpaceMb: mb(/^nodejs_heap_space_size_total_bytes\{space="old"\} (\S+)/m),
    });
  }, 10_000);
  try {
    const summary = await yardstickBench(streamedRateArgs(proxy.first, RATE, DURATION_S));
    return {
      name: `proxy memory by part, ${RATE} streamed requests/s for ${DURATION_S} s, ${SAMPLING ? '1% sampled into a store' : 'no sampling'}`,
      completed: summary.requests.completed,
      errored: summary.requests.errored,
      samples,
    };
  } finally {
    clearInterval(timer);
    await proxy.stop();
    await sim.stop();
  }
}
