// An open loop of 5,000 requests/s for 20 s against the minimal server, spread over two `yardstick worker` processes
// (2 × 2,500/s) through a local redis-server, beside the same load from one process's two load threads; the same
// with one worker process against one load thread; and two of each at 2,000/s. Goal: the achieved rate within 1% of
// the target and the merged schedule lag p99 under 1 ms. Every process (server, generators, Redis) shares the
// machine's cores.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { minimalServerTarget, startServer, yardstickBench } from './lib.mjs';
import { startRedis, startWorker } from './redis-workers.mjs';

const LOADS = [
  { ratePerS: 5000, workers: 2 },
  { ratePerS: 5000, workers: 1 },
  { ratePerS: 2000, workers: 2 },
];
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 20);
const WORKERS = 2;

function loadArgs(url, { ratePerS, workers }) {
  return [
    ...minimalServerTarget(url),
    '--profile',
    'rate',
    '--rate',
    String(ratePerS),
    '--duration',
    `${DURATION_S}s`,
    '--input-tokens',
    '4',
    '--warmup',
    '10%',
    '--workers',
    String(workers),
  ];
}

function row(name, summary) {
  const RATE_PER_S = summary.rate.targetPerS;
  return {
    name,
    targetPerS: summary.rate.targetPerS,
    achievedPerS: summary.rate.achievedPerS,
    achievedErrorPercent: ((summary.rate.achievedPerS - RATE_PER_S) / RATE_PER_S) * 100,
    scheduleLagP50Ms: summary.latencyMs.scheduleLag?.p50 ?? null,
    scheduleLagP99Ms: summary.latencyMs.scheduleLag?.p99 ?? null,
    errored: summary.requests.errored,
    workers:
      summary.scaleOut?.workers.map((w) => ({
        achievedPerS: w.rate.achievedPerS,
        scheduleLagP99Ms: w.scheduleLagMs?.p99 ?? null,
        clockUncertaintyMs: w.clock.uncertaintyMs,
      })) ?? null,
  };
}

export async function distributedBench() {
  const server = await startServer(process.execPath, [
    fileURLToPath(new URL('./servers/minimal-server.mjs', import.meta.url)),
  ]);
  const url = `http://127.0.0.1:${server.first}/echo`;
  const redis = await startRedis();
  const store = join(mkdtempSync(join(tmpdir(), 'ys-bench-dist-')), 'store.db');
  const workers = [];
  for (let i = 0; i < WORKERS; i += 1) workers.push(await startWorker(redis.url, store));
  try {
    const rows = [];
    for (const load of LOADS) {
      const local = await yardstickBench(loadArgs(url, load));
      const spread = await yardstickBench([...loadArgs(url, load), '--queue', redis.url]);
      const name = `open loop ${load.ratePerS}/s for ${DURATION_S} s`;
      rows.push(
        row(`${name}, ${load.workers} load thread(s) of one process`, local),
        row(`${name}, ${load.workers} worker process(es) through Redis`, spread),
      );
    }
    return rows;
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    redis.stop();
    await server.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await distributedBench(), null, 2));
