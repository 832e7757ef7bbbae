// Open loop at 5,000 requests/s for 20 s against the minimal server: does the generator hold the rate and the schedule?
import { fileURLToPath } from 'node:url';
import { minimalServerTarget, startServer, yardstickBench } from './lib.mjs';

const RATE_PER_S = Number(process.env.BENCH_RATE ?? 5000);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 20);

async function once(url, warmup) {
  const summary = await yardstickBench([
    ...minimalServerTarget(url),
    '--profile',
    'rate',
    '--rate',
    String(RATE_PER_S),
    '--duration',
    `${DURATION_S}s`,
    '--input-tokens',
    '4',
    ...(warmup ? ['--warmup', warmup] : []),
  ]);
  return { warmup: warmup ?? 'none', summary };
}

// Measured twice: with the first 10% left out as warm-up (the generator's code is still being compiled and its
// connections opened then), and with nothing left out.
export async function openLoop() {
  const server = await startServer(process.execPath, [
    fileURLToPath(new URL('./servers/minimal-server.mjs', import.meta.url)),
  ]);
  const url = `http://127.0.0.1:${server.first}/echo`;
  try {
    return [await once(url, '10%'), await once(url, null)].map(({ warmup, summary }) => ({
      name: `open loop ${RATE_PER_S}/s for ${DURATION_S} s, warm-up ${warmup}`,
      targetPerS: summary.rate.targetPerS,
      achievedPerS: summary.rate.achievedPerS,
      achievedErrorPercent: ((summary.rate.achievedPerS - RATE_PER_S) / RATE_PER_S) * 100,
      scheduleLagP50Ms: summary.latencyMs.scheduleLag?.p50 ?? null,
      scheduleLagP99Ms: summary.latencyMs.scheduleLag?.p99 ?? null,
      scheduleLagMaxMs: summary.latencyMs.scheduleLag?.max ?? null,
      e2eP99Ms: summary.latencyMs.e2e?.p99 ?? null,
      errored: summary.requests.errored,
    }));
  } finally {
    await server.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await openLoop(), null, 2));
