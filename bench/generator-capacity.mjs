// Generator capacity: closed loop, 50 connections, against the minimal server; yardstick beside autocannon and wrk.
import { fileURLToPath } from 'node:url';
import { autocannon, startServer, wrk, yardstickBench } from './lib.mjs';

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const CONNECTIONS = 50;

export async function generatorCapacity() {
  const server = await startServer(process.execPath, [fileURLToPath(new URL('./servers/minimal-server.mjs', import.meta.url))]);
  const url = `http://127.0.0.1:${server.first}/echo`;
  try {
    // Alternate the tools so drift in the machine's speed does not favour one.
    const yardstick = await yardstickBench(['--kind', 'http', '--url', url, '--body-template', '{"prompt":"{{prompt}}"}', '--output-path', 'output', '--profile', 'concurrency', '--concurrency', String(CONNECTIONS), '--duration', `${DURATION_S}s`, '--input-tokens', '4']);
    const ac = await autocannon(url, CONNECTIONS, DURATION_S, '{"prompt":"hello"}');
    const w = await wrk(url, CONNECTIONS, DURATION_S, fileURLToPath(new URL('./post.lua', import.meta.url)));
    return {
      name: 'generator capacity (closed loop, 50 connections, minimal server)',
      yardstickPerS: yardstick.throughput.requestsPerS,
      yardstickErrors: yardstick.requests.errored,
      recordedInHistograms: yardstick.requests.completed,
      yardstickCpuPercent: yardstick.resources.generatorCpuPercent?.mean ?? null,
      autocannonPerS: ac.requestsPerS,
      wrkPerS: w.requestsPerS,
      ratioToAutocannon: yardstick.throughput.requestsPerS / ac.requestsPerS,
      ratioToWrk: yardstick.throughput.requestsPerS / w.requestsPerS,
    };
  } finally {
    await server.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await generatorCapacity(), null, 2));
