// How much CPU a proxy may spend per request before the latency it adds exceeds the proxy goal, on this machine and
// under the proxy overhead benchmark's load (bench/proxy-overhead.mjs: 1,000 streamed requests/s, 8 tokens each).
// A TCP pipe is the floor; the same pipe then spends a fixed CPU time on every piece it forwards (about ten pieces a
// request), once on its forwarding thread and once on a worker thread fed through shared memory
// (bench/servers/busy-pipe-proxy.mjs). Added latency is each way's ttft p50 minus the direct ttft p50 of the round.
// The rig runs at the proxies' priority (nice 0), as when these budgets were recorded: the busy rig of
// bench/proxy-overhead.mjs.
import { fileURLToPath } from 'node:url';
import { startServer, startSimulator } from './lib.mjs';
import { measure, median } from './proxy-overhead.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WARM_UP_S = 4;
const DURATION_S = 8;
const BUSY_US_PER_PIECE = [5, 20];

const TCP_PIPE_PROXY = fileURLToPath(new URL('./servers/tcp-pipe-proxy.mjs', import.meta.url));
const BUSY_PIPE_PROXY = fileURLToPath(new URL('./servers/busy-pipe-proxy.mjs', import.meta.url));

export async function proxyCpuBudget() {
  const sim = await startSimulator('5ms', '1ms', 8);
  const simOrigin = sim.first.replace(/\/v1$/, '');
  const servers = [];
  const ways = { direct: { url: simOrigin, pid: null } };
  try {
    const pipe = await startServer(process.execPath, [TCP_PIPE_PROXY, simOrigin]);
    servers.push(pipe);
    ways.pipe = { url: pipe.first, pid: pipe.pid };
    for (const busyUs of BUSY_US_PER_PIECE)
      for (const where of ['same', 'worker']) {
        const server = await startServer(process.execPath, [BUSY_PIPE_PROXY, simOrigin, where, String(busyUs)]);
        servers.push(server);
        ways[`${where}${busyUs}us`] = { url: server.first, pid: server.pid };
      }
    for (const way of Object.values(ways)) await measure(way.url, way.pid, WARM_UP_S, 0);
    const rounds = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const measured = {};
      for (const [name, way] of Object.entries(ways)) measured[name] = await measure(way.url, way.pid, DURATION_S, 0);
      rounds.push(
        Object.fromEntries(
          Object.entries(measured).map(([name, m]) => [
            name,
            {
              addedTtftP50Ms: m.ttftP50Ms - measured.direct.ttftP50Ms,
              cpuMsPerRequest: m.proxyCpuMsPerRequest,
              completed: m.completed,
              errored: m.errored,
            },
          ]),
        ),
      );
    }
    return {
      name: `CPU per request against added latency: a TCP pipe spending ${BUSY_US_PER_PIECE.join(' or ')} µs per piece`,
      rounds,
      medians: Object.fromEntries(
        Object.keys(ways).map((name) => [
          name,
          {
            addedTtftP50Ms: median(rounds.map((r) => r[name].addedTtftP50Ms)),
            cpuMsPerRequest: name === 'direct' ? null : median(rounds.map((r) => r[name].cpuMsPerRequest)),
          },
        ]),
      ),
    };
  } finally {
    for (const server of servers) await server.stop();
    await sim.stop();
  }
}
