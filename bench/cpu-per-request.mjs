// CPU per request of the load generator: closed loop, 4 connections, against the minimal server, so the server is
// not saturated and each tool's own cost shows. CPU is the child process's user + system time (every thread, the
// kernel's work for its sockets included), read by the shell's `times`; a 10-request run of the same tool is
// subtracted to leave out start-up. yardstick through its own HTTP client and through undici, beside autocannon.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CLI, startServer } from './lib.mjs';

const AUTOCANNON = fileURLToPath(new URL('../node_modules/autocannon/autocannon.js', import.meta.url));
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 6);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 4;

const quote = (arg) => `'${arg.replaceAll("'", "'\\''")}'`;

/** Runs a command under bash and returns its stdout and the CPU seconds its children used. */
function timed(command) {
  return new Promise((resolve, reject) => {
    execFile(
      'bash',
      ['-c', `${command.map(quote).join(' ')} > /tmp/yardstick-cpu-bench.out; status=$?; times; exit $status`],
      { maxBuffer: 64 << 20 },
      (error, stdout, stderr) => {
        if (error && error.code !== 3) return reject(new Error(stderr || error.message));
        const children = stdout.trim().split('\n')[1]?.split(/\s+/) ?? [];
        const seconds = (text) => {
          const m = /(\d+)m([\d.]+)s/.exec(text ?? '');
          return m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
        };
        resolve({
          cpuS: seconds(children[0]) + seconds(children[1]),
          output: readFileSync('/tmp/yardstick-cpu-bench.out', 'utf8'),
        });
      },
    );
  });
}

const yardstick = (url, client, limit) => [
  process.execPath,
  CLI,
  '--store',
  ':memory:',
  'bench',
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
  ...limit,
  '--input-tokens',
  '4',
  '--json',
];
const autocannon = (url, limit) => [
  process.execPath,
  AUTOCANNON,
  '-c',
  String(CONNECTIONS),
  ...limit,
  '-m',
  'POST',
  '-H',
  'content-type=application/json',
  '-b',
  '{"prompt":"hello"}',
  '--json',
  url,
];

async function perRequest(short, long, count) {
  const a = await timed(short);
  const b = await timed(long);
  const [na, nb] = [count(a.output), count(b.output)];
  return { requests: nb, cpuUsPerRequest: ((b.cpuS - a.cpuS) * 1e6) / (nb - na) };
}

export async function cpuPerRequest() {
  const server = await startServer(process.execPath, [
    fileURLToPath(new URL('./servers/minimal-server.mjs', import.meta.url)),
  ]);
  const url = `http://127.0.0.1:${server.first}/echo`;
  const completed = (output) => JSON.parse(output).requests.completed;
  const total = (output) => JSON.parse(output).requests.total;
  const rounds = [];
  try {
    for (let round = 0; round < ROUNDS; round += 1) {
      rounds.push({
        yardstick: await perRequest(
          yardstick(url, 'yardstick', ['--requests', '10']),
          yardstick(url, 'yardstick', ['--duration', `${DURATION_S}s`]),
          completed,
        ),
        yardstickUndici: await perRequest(
          yardstick(url, 'undici', ['--requests', '10']),
          yardstick(url, 'undici', ['--duration', `${DURATION_S}s`]),
          completed,
        ),
        autocannon: await perRequest(autocannon(url, ['-a', '10']), autocannon(url, ['-d', String(DURATION_S)]), total),
      });
    }
  } finally {
    await server.stop();
  }
  return {
    name: `CPU per request, closed loop of ${CONNECTIONS} connections against the minimal server, ${ROUNDS} rounds of ${DURATION_S} s`,
    rounds,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await cpuPerRequest(), null, 2));
