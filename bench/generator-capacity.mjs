// Generator capacity: closed loop, 50 connections, against the minimal server; yardstick beside autocannon and wrk.
// The machine's speed drifts between runs, so the three tools run in rounds, in a rotating order, and the ratios
// are taken within each round; the median round is reported along with all of them.
import { fileURLToPath } from 'node:url';
import { autocannon, startServer, wrk, yardstickBench } from './lib.mjs';

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CONNECTIONS = 50;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export async function generatorCapacity() {
  const server = await startServer(process.execPath, [
    fileURLToPath(new URL('./servers/minimal-server.mjs', import.meta.url)),
  ]);
  const url = `http://127.0.0.1:${server.first}/echo`;
  const viaYardstick = async (client) => {
    const s = await yardstickBench([
      '--kind',
      'http',
      '--url',
      url,
      '--client',
      client,
      '--body-template',
      '{"prompt":"{{prompt}}"}',
      '--output-path',
      'output',
      '--profile',
      'concurrency',
      '--concurrency',
      String(CONNECTIONS),
      '--duration',
      `${DURATION_S}s`,
      '--input-tokens',
      '4',
    ]);
    return {
      perS: s.throughput.requestsPerS,
      recorded: s.requests.completed,
      errors: s.requests.errored,
      cpuPercent: s.resources.generatorCpuPercent?.mean ?? null,
    };
  };
  const tools = {
    yardstick: () => viaYardstick('yardstick'),
    // The same run through undici, the client yardstick can also use: how much its own HTTP/1.1 client gains.
    yardstickUndici: () => viaYardstick('undici'),
    autocannon: async () => ({
      perS: (await autocannon(url, CONNECTIONS, DURATION_S, '{"prompt":"hello"}')).requestsPerS,
    }),
    wrk: async () => ({
      perS: (await wrk(url, CONNECTIONS, DURATION_S, fileURLToPath(new URL('./post.lua', import.meta.url))))
        .requestsPerS,
    }),
  };
  const names = Object.keys(tools);
  const rounds = [];
  try {
    for (let round = 0; round < ROUNDS; round += 1) {
      const result = {};
      for (let i = 0; i < names.length; i += 1) {
        const name = names[(i + round) % names.length];
        result[name] = await tools[name]();
      }
      rounds.push({
        yardstickPerS: result.yardstick.perS,
        yardstickUndiciPerS: result.yardstickUndici.perS,
        autocannonPerS: result.autocannon.perS,
        wrkPerS: result.wrk.perS,
        yardstickRecorded: result.yardstick.recorded,
        yardstickErrors: result.yardstick.errors,
        yardstickCpuPercent: result.yardstick.cpuPercent,
        ratioToAutocannon: result.yardstick.perS / result.autocannon.perS,
        ratioToWrk: result.yardstick.perS / result.wrk.perS,
        ratioToUndiciClient: result.yardstick.perS / result.yardstickUndici.perS,
      });
    }
  } finally {
    await server.stop();
  }
  return {
    name: `generator capacity (closed loop, ${CONNECTIONS} connections, minimal server, ${ROUNDS} rounds of ${DURATION_S} s)`,
    medianRatioToAutocannon: median(rounds.map((r) => r.ratioToAutocannon)),
    medianRatioToWrk: median(rounds.map((r) => r.ratioToWrk)),
    medianRatioToUndiciClient: median(rounds.map((r) => r.ratioToUndiciClient)),
    rounds,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await generatorCapacity(), null, 2));
