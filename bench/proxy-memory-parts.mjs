// Where the proxy's memory is: the proxy soak's setup (bench/proxy-soak.mjs: the simulator streaming 8 tokens, the
// proxy sampling 1% into a store) at BENCH_MEMORY_RATE streamed requests/s (1,000) for BENCH_MEMORY_S seconds (600),
// with BENCH_MEMORY_NO_SAMPLING=1 not sampling at all. Every 10 s: RSS split into anonymous and file-backed memory
// (/proc), and V8's heap, reserved and in use, with its code and old spaces (the proxy's own /metrics). Growth of
// anonymous memory that the heap's reserved size does not follow is native memory: the allocator, SQLite, sockets.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, streamedRateArgs, yardstickBench } from './lib.mjs';
import { metricsInMb, startStoringProxy, statusMb } from './proxy-memory.mjs';

const DURATION_S = Number(process.env.BENCH_MEMORY_S ?? 600);
const RATE = Number(process.env.BENCH_MEMORY_RATE ?? 1000);
const SAMPLING = process.env.BENCH_MEMORY_NO_SAMPLING !== '1';

export async function proxyMemoryParts() {
  const sim = await startSimulator('5ms', '2ms', 8);
  const store = join(mkdtempSync(join(tmpdir(), 'ys-memory-')), 'soak.db');
  const proxy = await startStoringProxy(store, sim.first, { sampling: SAMPLING });
  const started = Date.now();
  const samples = [];
  const timer = setInterval(async () => {
    const mb = await metricsInMb(`${proxy.first}/metrics`);
    samples.push({
      atS: Math.round((Date.now() - started) / 1000),
      rssMb: statusMb(proxy.pid, 'VmRSS'),
      anonymousMb: statusMb(proxy.pid, 'RssAnon'),
      fileMb: statusMb(proxy.pid, 'RssFile'),
      heapReservedMb: mb('nodejs_heap_size_total_bytes'),
      heapUsedMb: mb('nodejs_heap_size_used_bytes'),
      codeSpaceMb: mb('nodejs_heap_space_size_total_bytes{space="code"}'),
      oldSpaceMb: mb('nodejs_heap_space_size_total_bytes{space="old"}'),
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
