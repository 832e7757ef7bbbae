// Eval runner speed: a 10,000-case suite against a local server that answers at once (serve-sim with no delays,
// in its own process). Beside it, in the same run, bare clients send the same 10,000 requests at the same
// concurrency: one on yardstick's own HTTP client (the transport the runner uses, so the difference in wall time
// divided by the cases is the runner's overhead per case) and one on undici (the peer).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { CLI, startServer, yardstickEval } from './lib.mjs';
import { Http1Pool } from '../dist/http/http1-pool.js';

const CASES = 10_000;
const CONCURRENCY = 32;

function prompts() {
  return Array.from({ length: CASES }, (_, i) => ({
    id: `c${i}`,
    text: `Review number ${i}: it was ${i % 3 === 0 ? 'great' : 'dull'}.`,
    expected: i % 3 === 0 ? 'positive' : 'negative',
  }));
}

function requestBody(row) {
  return JSON.stringify({
    model: 'sim',
    messages: [{ role: 'user', content: `Review: ${row.text}\nSentiment:` }],
    max_tokens: 2,
    stream: true,
    stream_options: { include_usage: true },
  });
}

/** Milliseconds to send every row's request with `send` (resolves when the whole answer is read), CONCURRENCY at a time. */
async function timeRequests(rows, send) {
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < rows.length) {
      const row = rows[next];
      next += 1;
      await send(requestBody(row));
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return performance.now() - started;
}

/** The same requests through undici's pool, reading each whole stream and doing nothing else. */
async function bareClient(baseUrl, rows) {
  const url = new URL(`${baseUrl}/chat/completions`);
  const pool = new Pool(url.origin, { connections: CONCURRENCY, pipelining: 1 });
  const ms = await timeRequests(rows, async (body) => {
    const response = await pool.request({
      path: url.pathname,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    await response.body.text();
  });
  await pool.close();
  return ms;
}

/** The same requests through yardstick's HTTP/1.1 client, with nothing of the runner around it. */
async function bareTransport(baseUrl, rows) {
  const url = new URL(`${baseUrl}/chat/completions`);
  const pool = new Http1Pool(url, CONCURRENCY);
  const headers = { 'content-type': 'application/json' };
  const ms = await timeRequests(
    rows,
    (body) =>
      new Promise((resolve, reject) =>
        pool.dispatch(
          { path: url.pathname, method: 'POST', headers, body },
          { onConnect() {}, onHeaders() {}, onData() {}, onComplete: resolve, onError: reject },
        ),
      ),
  );
  await pool.close();
  return ms;
}

export async function evalThroughput() {
  const dir = mkdtempSync(join(tmpdir(), 'ys-bench-eval-'));
  const rows = prompts();
  writeFileSync(join(dir, 'cases.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n'));
  const sim = await startServer(process.execPath, [CLI, 'serve-sim', '--port', '0', '--ttft', '0ms', '--itl', '0ms']);
  writeFileSync(
    join(dir, 'suite.yaml'),
    `name: throughput\ndataset: cases.jsonl\nprompt:\n  text: "Review: {{text}}\\nSentiment:"\n  maxTokens: 2\ntargets:\n  - kind: openai-chat\n    baseUrl: ${sim.first}\n    model: sim\nscorers:\n  - type: choice\n    choices: [positive, negative]\n`,
  );
  try {
    await bareClient(sim.first, rows.slice(0, 2000)); // warm the server up
    const bareMs = await bareClient(sim.first, rows);
    const transportMs = await bareTransport(sim.first, rows);
    const summary = await yardstickEval(join(dir, 'suite.yaml'), join(dir, 'store.db'), CONCURRENCY);
    const evalMs = summary.throughput.durationS * 1000;
    return {
      name: `eval runner: ${CASES} cases, concurrency ${CONCURRENCY}, instant local server`,
      cases: summary.cases.answered,
      yardstickCasesPerS: summary.throughput.casesPerS,
      bareUndiciRequestsPerS: (CASES / bareMs) * 1000,
      yardstickMs: evalMs,
      bareUndiciMs: bareMs,
      bareTransportMs: transportMs,
      runnerOverheadPerCaseMs: (evalMs - transportMs) / CASES,
      ratioYardstickToBareTransport: evalMs / transportMs,
      ratioYardstickToBareUndici: evalMs / bareMs,
    };
  } finally {
    await sim.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await evalThroughput(), null, 2));
