// MMLU at full size: every test question, 5-shot prompts, against an instant local server (its own process), in
// both scoring modes, timed end to end (reading the CSVs, building prompts, requests, scoring, storing, summary).
// Beside each, in the same run, a bare undici client sends the same request bodies (built by yardstick's prompt
// builder beforehand) at the same concurrency and parses the JSON answers: the difference is what yardstick adds (reading the data,
// building prompts, scoring, storing every case, the summary with intervals).
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import { compileBenchmark, loadBenchmark } from '../dist/benchmarks/load-benchmark.js';
import { loglikelihoodPayload } from '../dist/targets/openai-loglikelihood.js';
import { CLI, startServer } from './lib.mjs';

// The whole MMLU test split (14,042 questions) is not shipped with the tests: point YARDSTICK_DATA_DIR at a folder
// holding the original release's mmlu/ (dev/ and test/), e.g. YARDSTICK_DATA_DIR=../shared/data npm run bench.
const DATA = process.env.YARDSTICK_DATA_DIR ?? '';
const CONCURRENCY = 32;

function yardstick(args, store) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    execFile(
      process.execPath,
      [
        CLI,
        '--store',
        store,
        'eval',
        '--benchmark',
        'mmlu',
        '--data-dir',
        DATA,
        '--json',
        '--no-cache',
        '--concurrency',
        String(CONCURRENCY),
        ...args,
      ],
      { maxBuffer: 256 << 20 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(stderr || error.message));
        else resolve({ wallMs: performance.now() - started, summary: JSON.parse(stdout) });
      },
    );
  });
}

/** The request bodies yardstick sends for every MMLU test question in a mode, built with its own prompt builder. */
async function bodiesOf(mode) {
  const kind = mode === 'choice' ? 'openai-chat' : 'openai-completions';
  const loaded = await loadBenchmark({
    path: null,
    overrides: {
      benchmark: { tasks: ['mmlu'], dataDir: DATA },
      targets: [{ kind, baseUrl: 'http://127.0.0.1:9/v1', model: 'm' }],
    },
  });
  const suite = compileBenchmark(loaded, 0, mode);
  return suite.cases.map((c) => {
    const { request } = suite.builder.build(c);
    if (mode === 'loglikelihood')
      return JSON.stringify({ ...loglikelihoodPayload('m', request.prompt, request.continuations), stream: false });
    return JSON.stringify({
      model: 'm',
      messages: request.messages,
      max_tokens: request.maxTokens,
      stream: true,
      stream_options: { include_usage: true },
      ...request.extraBody,
    });
  });
}

async function bareClient(baseUrl, path, bodies) {
  const url = new URL(`${baseUrl}${path}`);
  const pool = new Pool(url.origin, { connections: CONCURRENCY, pipelining: 1 });
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < bodies.length) {
      const body = bodies[next];
      next += 1;
      const response = await pool.request({
        path: url.pathname,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      // Any client must decode the answer; streamed chat answers are read as text, whole JSON answers parsed.
      const text = await response.body.text();
      if (!text.startsWith('data:')) JSON.parse(text);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const ms = performance.now() - started;
  await pool.close();
  return ms;
}

export async function mmluBenchmark() {
  if (DATA === '' || !existsSync(join(DATA, 'mmlu', 'test'))) {
    const why = DATA === '' ? 'YARDSTICK_DATA_DIR is not set' : `${join(DATA, 'mmlu', 'test')} does not exist`;
    const skipped = `mmlu-benchmark needs the full MMLU test split: ${why} (set YARDSTICK_DATA_DIR to a folder holding mmlu/dev and mmlu/test)`;
    process.stderr.write(`${skipped}\n`);
    return { skipped };
  }
  const dir = mkdtempSync(join(tmpdir(), 'ys-bench-mmlu-'));
  const server = await startServer(process.execPath, [
    fileURLToPath(new URL('./instant-openai-server.mjs', import.meta.url)),
  ]);
  const baseUrl = server.first;
  try {
    const choiceBodies = await bodiesOf('choice');
    await bareClient(baseUrl, '/chat/completions', choiceBodies.slice(0, 2000));
    const choice = await yardstick(
      ['--kind', 'openai-chat', '--url', baseUrl, '--model', 'm', '--mode', 'choice'],
      join(dir, 'choice.db'),
    );
    const bareChoiceMs = await bareClient(baseUrl, '/chat/completions', choiceBodies);
    const loglikelihood = await yardstick(
      ['--kind', 'openai-completions', '--url', baseUrl, '--model', 'm', '--mode', 'loglikelihood'],
      join(dir, 'loglikelihood.db'),
    );
    const bareLoglikelihoodMs = await bareClient(baseUrl, '/completions', await bodiesOf('loglikelihood'));
    const row = (run, bareMs) => ({
      questions: run.summary.n,
      answered: run.summary.cases.answered,
      acc: run.summary.benchmark.tasks[0].metrics.acc.value,
      wallS: run.wallMs / 1000,
      runnerS: run.summary.throughput.durationS,
      bareUndiciS: bareMs / 1000,
      ratioWallToBare: run.wallMs / bareMs,
    });
    return {
      name: `MMLU test, 5-shot, concurrency ${CONCURRENCY}, instant local server`,
      choice: row(choice, bareChoiceMs),
      loglikelihood: row(loglikelihood, bareLoglikelihoodMs),
    };
  } finally {
    await server.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await mmluBenchmark(), null, 2));
