// Proxy memory over time: yardstick proxy (sampling 1% into a store) in front of the simulator, at 500 streamed
// requests/s for BENCH_SOAK_S seconds (3,600 for the hour the operations issue asks for); every 10 s, the proxy's RSS is
// read from /proc, in all and by what holds it (/proc/PID/smaps), and the heaps of both its threads from its own
// /metrics. Memory is bounded when it levels off after warm-up rather than growing with the requests. A heap snapshot
// after the last reading says what the heap still holds after a full collection, by kind of object. With
// BENCH_SOAK_SNAPSHOTS=1, two more (after a sixth of the run and after five sixths) say which kinds grew between; a
// snapshot costs the proxy a pause and leaves its RSS hundreds of MB higher, so the RSS readings after the first of
// those say nothing. BENCH_PROXY_PRELOAD, a shared library, is preloaded into the proxy alone (LD_PRELOAD): another
// memory allocator, such as Debian's libjemalloc2.
import { readdirSync, statSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { heapByConstructor, heapGrowth, heapLargest } from './heap-snapshot.mjs';
import { startSimulator, streamedRateArgs, yardstickBench } from './lib.mjs';
import { metricsInMb, smapsKindsMb, startStoringProxy, statusMb } from './proxy-memory.mjs';

const SOAK_S = Number(process.env.BENCH_SOAK_S ?? 3600);
const PRELOAD = process.env.BENCH_PROXY_PRELOAD;
const RATE = 500;

/**
 * The proxy's heaps in use, of its measuring (main) thread and of its forwarding thread, and the memory outside the
 * measuring heap (buffers), from its own Prometheus metrics.
 */
async function heapMb(metricsUrl) {
  const mb = await metricsInMb(metricsUrl);
  return {
    heapUsedMb: mb('nodejs_heap_size_used_bytes'),
    forwardingHeapUsedMb: mb('yardstick_thread_heap_size_used_bytes{thread="forwarding"}'),
    externalMb: mb('nodejs_external_memory_bytes'),
  };
}

/**
 * Each sixth of the run: mean RSS (and by what holds it), and the heaps' lowest and mean readings (the lowest is nearest
 * a collection).
 */
function sixthsOf(samples, soakS) {
  const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;
  return [0, 1, 2, 3, 4, 5].map((i) => {
    const inside = samples.filter((s) => s.atS > (i * soakS) / 6 && s.atS <= ((i + 1) * soakS) / 6);
    return {
      untilS: Math.round(((i + 1) * soakS) / 6),
      rssMeanMb: mean(inside.map((s) => s.rssMb)),
      rssAnonMeanMb: mean(inside.map((s) => s.rssAnonMb)),
      rssByKindMeanMb: Object.fromEntries(
        Object.keys(inside[0]?.rssByKindMb ?? {}).map((kind) => [kind, mean(inside.map((s) => s.rssByKindMb[kind]))]),
      ),
      heapUsedMinMb: Math.min(...inside.map((s) => s.heapUsedMb)),
      heapUsedMeanMb: mean(inside.map((s) => s.heapUsedMb)),
      forwardingHeapUsedMinMb: Math.min(...inside.map((s) => s.forwardingHeapUsedMb)),
      externalMeanMb: mean(inside.map((s) => s.externalMb)),
    };
  });
}

/** Asks the proxy for a heap snapshot and waits until the file is written whole. */
async function takeSnapshot(pid, dir) {
  const before = new Set(readdirSync(dir));
  process.kill(pid, 'SIGUSR2');
  for (;;) {
    await new Promise((r) => setTimeout(r, 1000));
    const file = readdirSync(dir).find((f) => f.endsWith('.heapsnapshot') && !before.has(f));
    if (file === undefined) continue;
    const size = statSync(join(dir, file)).size;
    await new Promise((r) => setTimeout(r, 2000));
    if (size > 0 && statSync(join(dir, file)).size === size) return join(dir, file);
  }
}

export async function proxySoak() {
  const sim = await startSimulator('5ms', '2ms', 8);
  const dir = mkdtempSync(join(tmpdir(), 'ys-soak-'));
  const store = join(dir, 'soak.db');
  const proxy = await startStoringProxy(store, sim.first, {
    nodeFlags: ['--heapsnapshot-signal=SIGUSR2'],
    options: { cwd: dir, env: PRELOAD === undefined ? process.env : { ...process.env, LD_PRELOAD: PRELOAD } },
  });
  const metricsUrl = `${proxy.first}/metrics`;
  const samples = [];
  const started = Date.now();
  const sample = async () => ({
    atS: Math.round((Date.now() - started) / 1000),
    rssMb: statusMb(proxy.pid, 'VmRSS'),
    rssAnonMb: statusMb(proxy.pid, 'RssAnon'),
    rssByKindMb: smapsKindsMb(proxy.pid),
    ...(await heapMb(metricsUrl)),
  });
  const timer = setInterval(() => void sample().then((s) => samples.push(s)), 10_000);
  const snapshots = [];
  const midRun = process.env.BENCH_SOAK_SNAPSHOTS === '1' ? [SOAK_S / 6, (5 * SOAK_S) / 6] : [];
  const snapshotTimers = midRun.map((atS) =>
    setTimeout(
      () =>
        void takeSnapshot(proxy.pid, dir).then((path) =>
          snapshots.push({ atS: Math.round((Date.now() - started) / 1000), path }),
        ),
      atS * 1000,
    ),
  );
  try {
    samples.push(await sample());
    const summary = await yardstickBench(streamedRateArgs(proxy.first, RATE, SOAK_S));
    clearInterval(timer);
    samples.push(await sample());
    const held = snapshots.map((s) => ({ atS: s.atS, heap: heapByConstructor(s.path) }));
    const endHeap = heapByConstructor(await takeSnapshot(proxy.pid, dir));
    const afterWarmup = samples.filter((s) => s.atS >= Math.min(120, SOAK_S / 4));
    const first = afterWarmup[0]?.rssMb ?? 0;
    const last = afterWarmup.at(-1)?.rssMb ?? 0;
    return {
      name: `proxy soak, ${RATE} streamed requests/s for ${SOAK_S} s, 1% sampled into a store`,
      preloaded: PRELOAD ?? null,
      completed: summary.requests.completed,
      errored: summary.requests.errored,
      rssMbStart: samples[0]?.rssMb,
      rssMbAfterWarmup: first,
      rssMbEnd: last,
      rssMbMax: Math.max(...samples.map((s) => s.rssMb)),
      growthAfterWarmupMb: last - first,
      heapHeldMb: held.map((h) => ({ atS: h.atS, mb: h.heap.totalBytes / 2 ** 20 })),
      sixths: sixthsOf(samples, SOAK_S),
      heapGrowth: held.length === 2 ? heapGrowth(held[0].heap, held[1].heap) : [],
      heapHeldAtEndMb: endHeap.totalBytes / 2 ** 20,
      heapLargestAtEnd: heapLargest(endHeap),
      samples,
    };
  } finally {
    clearInterval(timer);
    for (const t of snapshotTimers) clearTimeout(t);
    await proxy.stop();
    await sim.stop();
  }
}
