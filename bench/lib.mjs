// Helpers shared by the benchmark scripts: start servers in their own processes, run each load generator, collect numbers.
import { execFile, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const AUTOCANNON = fileURLToPath(new URL('../node_modules/autocannon/autocannon.js', import.meta.url));

/** Starts a server process that prints its port (or URL) as its first line; resolves with it and a stop function. */
export function startServer(command, args, options = {}) {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'], ...options });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    createInterface({ input: child.stdout }).once('line', (line) => {
      child.removeAllListeners('exit');
      resolve({
        first: line.trim(),
        pid: child.pid,
        stop: () =>
          new Promise((done) => (child.exitCode !== null ? done() : (child.once('exit', done), child.kill('SIGTERM')))),
      });
    });
  });
}

/**
 * `command args` started with its nice value raised by `niceness` (lower CPU priority), as it is for 0, or under
 * SCHED_IDLE for `idle` (it runs only on a core nothing else wants, and gives it up at once when something does).
 */
export function niced(niceness, command, args) {
  if (niceness === 'idle') return ['chrt', ['--idle', '0', command, ...args]];
  return niceness === 0 ? [command, args] : ['nice', ['-n', String(niceness), command, ...args]];
}

/**
 * `yardstick serve-sim` in its own process on a free port: first token after `ttft`, then one every `itl`; with
 * `niceness`, at a lower CPU priority.
 */
export function startSimulator(ttft, itl, outputTokens = null, { niceness = 0 } = {}) {
  const tokens = outputTokens === null ? [] : ['--output-tokens', String(outputTokens)];
  const args = [CLI, 'serve-sim', '--port', '0', '--ttft', ttft, '--itl', itl, ...tokens];
  return startServer(...niced(niceness, process.execPath, args));
}

/** `yardstick bench` flags for the proxy benchmarks' load: 16-token prompts, 8 streamed tokens each, at a fixed rate. */
export function streamedRateArgs(origin, rate, durationS) {
  const flags = ['--url', `${origin}/v1`, '--model', 'sim', '--profile', 'rate', '--rate', String(rate)];
  return [...flags, '--duration', `${durationS}s`, '--output-tokens', '8', '--input-tokens', '16'];
}

function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    execFile(command, args, { maxBuffer: 64 * 1024 * 1024, ...options }, (error, stdout, stderr) => {
      if (error && error.code !== 3)
        reject(new Error(`${command} ${args.join(' ')} failed: ${stderr || error.message}`));
      else resolve(stdout);
    });
  });
}

/** `yardstick bench` flags that send to the minimal server (bench/servers/minimal-server.mjs) at `url`. */
export function minimalServerTarget(url) {
  return ['--kind', 'http', '--url', url, '--body-template', '{"prompt":"{{prompt}}"}', '--output-path', 'output'];
}

/**
 * Runs `yardstick eval SUITE --json --no-cache --concurrency N …` on `store` and returns the parsed summary (exit 3, a
 * failed threshold, is a result too).
 */
export async function yardstickEval(suite, store, concurrency, extra = []) {
  const args = [CLI, '--store', store, 'eval', suite, '--json', '--no-cache', '--concurrency', String(concurrency)];
  const stdout = await run(process.execPath, [...args, ...extra], { maxBuffer: 256 << 20 });
  return JSON.parse(stdout);
}

/**
 * Runs `yardstick bench … --json` with a throwaway store (with `niceness`, at a lower CPU priority) and returns the
 * parsed summary.
 */
export async function yardstickBench(args, { niceness = 0 } = {}) {
  const stdout = await run(
    ...niced(niceness, process.execPath, [CLI, '--store', ':memory:', 'bench', ...args, '--json']),
  );
  return JSON.parse(stdout);
}

/** autocannon's arguments: `connections` POSTing a JSON `body` to `url` for `durationS`, its result as JSON. */
export function autocannonArgs(url, connections, durationS, body, extra = []) {
  return [
    AUTOCANNON,
    '-c',
    String(connections),
    '-d',
    String(durationS),
    ...extra,
    '-m',
    'POST',
    '-H',
    'content-type=application/json',
    '-b',
    body,
    '--json',
    url,
  ];
}

/** autocannon (the Node.js peer) against a URL; returns requests per second. */
export async function autocannon(url, connections, durationS, body) {
  const stdout = await run(process.execPath, autocannonArgs(url, connections, durationS, body));
  const result = JSON.parse(stdout);
  // requests.total counts completed responses; duration is the measured run time in seconds.
  return { requestsPerS: result.requests.total / result.duration, errors: result.errors + result.non2xx };
}

/** wrk (the C peer) with one thread against a URL; returns requests per second. */
export async function wrk(url, connections, durationS, luaScript) {
  const stdout = await run('wrk', ['-t1', `-c${connections}`, `-d${durationS}s`, '-s', luaScript, url]);
  const match = /Requests\/sec:\s+([\d.]+)/.exec(stdout);
  if (!match) throw new Error(`cannot read wrk output: ${stdout}`);
  return { requestsPerS: Number(match[1]) };
}

export function machine() {
  const list = cpus();
  return `${list[0]?.model ?? 'unknown CPU'}, ${list.length} cores, Node ${process.version}`;
}
