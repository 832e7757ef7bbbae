// An eval spread over worker processes (`yardstick worker`, BullMQ on a local redis-server) against a local server that
// answers at once (serve-sim with no delays), with 1, 2 and 4 workers, beside the same eval run in one process; the
// store is one SQLite file every process on this machine shares. The coordinator's overhead per case is the
// one-worker run's wall time over the local run's, per case.
import { spawn, spawnSync, execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { CLI, startServer } from './lib.mjs';

const CASES = 4000;
const CONCURRENCY = 16;
const BATCH = 100;

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function startRedis() {
  const binary = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).stdout.trim();
  if (binary === '') throw new Error('redis-server is not installed (apt-get install redis-server)');
  const port = await freePort();
  const child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((resolve) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.includes('Ready to accept connections')) resolve();
    });
  });
  return { url: `redis://127.0.0.1:${port}`, stop: () => child.kill('SIGKILL') };
}

function startWorker(queue, store) {
  const child = spawn(process.execPath, [CLI, '--store', store, 'worker', '--queue', queue], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return new Promise((resolve) => {
    createInterface({ input: child.stdout }).once('line', () =>
      resolve({ stop: () => new Promise((done) => (child.once('exit', done), child.kill('SIGINT'))) }),
    );
  });
}

function evalOnce(suite, store, extra) {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [CLI, '--store', store, 'eval', suite, '--json', '--no-cache', '--concurrency', String(CONCURRENCY), ...extra],
      { maxBuffer: 256 << 20 },
      (error, stdout, stderr) => {
        if (error && error.code !== 3) reject(new Error(stderr || error.message));
        else resolve(JSON.parse(stdout));
      },
    );
  });
}

export async function distributedEval() {
  const dir = mkdtempSync(join(tmpdir(), 'ys-bench-dist-'));
  const rows = Array.from({ length: CASES }, (_, i) => ({
    id: `c${i}`,
    text: `Review number ${i}: it was ${i % 3 === 0 ? 'great' : 'dull'}.`,
    expected: i % 3 === 0 ? 'positive' : 'negative',
  }));
  writeFileSync(join(dir, 'cases.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n'));
  const sim = await startServer(process.execPath, [CLI, 'serve-sim', '--port', '0', '--ttft', '0ms', '--itl', '0ms']);
  const redis = await startRedis();
  const suite = join(dir, 'suite.yaml');
  writeFileSync(
    suite,
    `name: throughput\ndataset: cases.jsonl\nprompt:\n  text: "Review: {{text}}\\nSentiment:"\n  maxTokens: 2\ntargets:\n  - kind: openai-chat\n    baseUrl: ${sim.first}\n    model: sim\nscorers:\n  - type: choice\n    choices: [positive, negative]\n`,
  );
  const store = join(dir, 'store.db');
  try {
    await evalOnce(suite, store, []); // warm the server and the store up
    const local = await evalOnce(suite, store, []);
    const spread = {};
    for (const workers of [1, 2, 4]) {
      const started = await Promise.all(Array.from({ length: workers }, () => startWorker(redis.url, store)));
      const t0 = performance.now();
      const summary = await evalOnce(suite, store, ['--queue', redis.url, '--batch', String(BATCH)]);
      const wallMs = performance.now() - t0;
      await Promise.all(started.map((w) => w.stop()));
      spread[workers] = {
        answered: summary.cases.answered,
        casesPerS: summary.throughput.casesPerS,
        wallMs,
        sameAccuracy: summary.metrics.accuracy?.value === local.metrics.accuracy?.value,
      };
    }
    const localMs = local.throughput.durationS * 1000;
    const oneWorkerMs = (spread[1].answered / spread[1].casesPerS) * 1000;
    return {
      name: `eval over workers: ${CASES} cases, batches of ${BATCH}, concurrency ${CONCURRENCY} per process, instant local server, one SQLite store`,
      localCasesPerS: local.throughput.casesPerS,
      workers: spread,
      coordinatorOverheadPerCaseMs: (oneWorkerMs - localMs) / CASES,
      ratioOneWorkerToLocal: oneWorkerMs / localMs,
    };
  } finally {
    redis.stop();
    await sim.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await distributedEval(), null, 2));
