// Memory: one million requests through the generator (closed loop, 50 connections) against the minimal server;
// the generator's RSS must stay under 300 MB. autocannon's peak RSS for the same count is measured beside it.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startServer, yardstickBench } from './lib.mjs';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 1_000_000);
const AUTOCANNON = fileURLToPath(new URL('../node_modules/autocannon/autocannon.js', import.meta.url));

function rssBytes(pid) {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

function autocannonPeakRss(url) {
  const child = spawn(
    process.execPath,
    [
      AUTOCANNON,
      '-c',
      '50',
      '-a',
      String(REQUESTS),
      '-m',
      'POST',
      '-H',
      'content-type=application/json',
      '-b',
      '{"prompt":"hello"}',
      url,
    ],
    { stdio: 'ignore' },
  );
  let peak = 0;
  const timer = setInterval(() => (peak = Math.max(peak, rssBytes(child.pid))), 200);
  return new Promise((resolve) => child.on('exit', () => (clearInterval(timer), resolve(peak))));
}

export async function memory() {
  const server = await startServer(process.execPath, [
    fileURLToPath(new URL('./servers/minimal-server.mjs', import.meta.url)),
  ]);
  const url = `http://127.0.0.1:${server.first}/echo`;
  try {
    const started = performance.now();
    const summary = await yardstickBench([
      '--kind',
      'http',
      '--url',
      url,
      '--body-template',
      '{"prompt":"{{prompt}}"}',
      '--output-path',
      'output',
      '--profile',
      'concurrency',
      '--concurrency',
      '50',
      '--requests',
      String(REQUESTS),
      '--input-tokens',
      '4',
    ]);
    const seconds = (performance.now() - started) / 1000;
    const autocannonRss = await autocannonPeakRss(url);
    return {
      name: `memory over ${REQUESTS.toLocaleString('en')} requests`,
      completed: summary.requests.completed,
      errored: summary.requests.errored,
      seconds,
      yardstickPeakRssMB: summary.resources.generatorRssBytes.max / 1024 / 1024,
      autocannonPeakRssMB: autocannonRss / 1024 / 1024,
    };
  } finally {
    await server.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await memory(), null, 2));
