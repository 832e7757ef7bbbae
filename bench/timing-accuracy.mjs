// Timing accuracy: 100 concurrent streams against the simulator in its own process, whose schedule is known
// (first token after 50 ms, then one every 10 ms). Measured ttft and itl should match the schedule, up to how late
// the simulator's own timers fired, which it reports.
import { CLI, startServer, yardstickBench } from './lib.mjs';

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 20);
const TTFT_MS = 50;
const ITL_MS = 10;

export async function timingAccuracy() {
  const sim = await startServer(process.execPath, [
    CLI,
    'serve-sim',
    '--port',
    '0',
    '--ttft',
    `${TTFT_MS}ms`,
    '--itl',
    `${ITL_MS}ms`,
  ]);
  try {
    const summary = await yardstickBench([
      '--url',
      sim.first,
      '--model',
      'sim',
      '--profile',
      'concurrency',
      '--concurrency',
      '100',
      '--duration',
      `${DURATION_S}s`,
      '--output-tokens',
      '32',
      '--input-tokens',
      '32',
      '--target-pid',
      String(sim.pid),
    ]);
    const ttft = summary.latencyMs.ttft;
    const itl = summary.latencyMs.itl;
    // The simulator reports how late its own timers sent each chunk; what is left is the client's measurement error.
    const server = await (await fetch(`${sim.first.replace(/\/v1$/, '')}/sim/lateness`)).json();
    return {
      name: `timing accuracy, 100 streams, schedule ttft ${TTFT_MS} ms / itl ${ITL_MS} ms`,
      completed: summary.requests.completed,
      ttftP50Ms: ttft.p50,
      ttftP50ErrorMs: ttft.p50 - TTFT_MS,
      ttftP99Ms: ttft.p99,
      itlP50Ms: itl.p50,
      itlP50ErrorMs: itl.p50 - ITL_MS,
      itlP99Ms: itl.p99,
      tpotMeanMs: summary.latencyMs.tpot.mean,
      serverFirstTokenLatenessP50Ms: server.firstTokenLatenessMs.p50,
      serverLaterTokenLatenessP50Ms: server.laterTokenLatenessMs.p50,
      simulatorOwnTtftP50Ms: server.serverTtftMs.p50,
      ttftP50BeyondSimulatorOwnMs: ttft.p50 - server.serverTtftMs.p50,
      simulatorCpuPercent: summary.resources.targetCpuPercent?.mean ?? null,
    };
  } finally {
    await sim.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await timingAccuracy(), null, 2));
