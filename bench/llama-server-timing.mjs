// Time per output token measured by yardstick against what llama.cpp's server reports about itself. One streamed
// request at a time (so the server's decode time per token is the client's inter-token time), 64 output tokens, the
// tiny test model. The server's figure: the growth of its Prometheus counters over the run,
// llamacpp:tokens_predicted_seconds_total / llamacpp:tokens_predicted_total, and the mean of `timings.predicted_per_token_ms`
// of a few direct requests of the same shape. Needs `npm run setup:llama-server` (or LLAMA_SERVER_BIN).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { yardstickBench } from './lib.mjs';

const MODEL = fileURLToPath(new URL('../test/fixtures/models/llama-2-tiny-random.gguf', import.meta.url));
const RECORDED = fileURLToPath(new URL('../.optional/llama-server.path', import.meta.url));
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 100);
const OUTPUT_TOKENS = 64;
// The random-weight model emits invalid UTF-8 that this server fails streams on; printable ASCII avoids it.
const GRAMMAR = 'root ::= [ -~]*';

function binary() {
  const fromEnv = process.env.LLAMA_SERVER_BIN;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : null;
  if (!existsSync(RECORDED)) return null;
  const recorded = readFileSync(RECORDED, 'utf8').trim();
  return existsSync(recorded) ? recorded : null;
}

async function freePort() {
  const probe = createServer();
  await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

async function metrics(origin) {
  const text = await (await fetch(`${origin}/metrics`)).text();
  const value = (name) =>
    Number(
      text
        .split('\n')
        .find((l) => l.startsWith(`${name} `))
        ?.slice(name.length + 1) ?? NaN,
    );
  return {
    tokens: value('llamacpp:tokens_predicted_total'),
    seconds: value('llamacpp:tokens_predicted_seconds_total'),
  };
}

export async function llamaServerTiming() {
  const bin = binary();
  if (bin === null) {
    const skipped = 'llama-server-timing needs llama-server: run `npm run setup:llama-server` or set LLAMA_SERVER_BIN';
    process.stderr.write(`${skipped}\n`);
    return { skipped };
  }
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const server = spawn(
    bin,
    ['-m', MODEL, '--host', '127.0.0.1', '--port', String(port), '-c', '2048', '-np', '1', '--metrics', '-t', '1'],
    { stdio: 'ignore' },
  );
  try {
    for (let i = 0; i < 600; i += 1) {
      if (
        await fetch(`${origin}/health`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const dir = mkdtempSync(join(tmpdir(), 'ys-bench-llama-'));
    const config = join(dir, 'bench.yaml');
    writeFileSync(
      config,
      JSON.stringify({
        target: { kind: 'openai-completions', baseUrl: `${origin}/v1`, model: 'tiny', body: { grammar: GRAMMAR } },
        load: { profile: 'concurrency', concurrency: 1, requests: REQUESTS },
        input: { kind: 'synthetic', inputTokens: 64, outputTokens: OUTPUT_TOKENS, fixedOutputLength: true },
      }),
    );
    const before = await metrics(origin);
    const summary = await yardstickBench(['--config', config]);
    const after = await metrics(origin);
    const serverMsPerToken = ((after.seconds - before.seconds) / (after.tokens - before.tokens)) * 1000;
    const direct = [];
    for (let i = 0; i < 10; i += 1) {
      const response = await fetch(`${origin}/v1/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'tiny',
          prompt: `Request ${i}: tell a story about the sea and the wind`,
          max_tokens: OUTPUT_TOKENS,
          ignore_eos: true,
          grammar: GRAMMAR,
        }),
      });
      direct.push((await response.json()).timings.predicted_per_token_ms);
    }
    const timingsMs = direct.reduce((a, b) => a + b, 0) / direct.length;
    const tpot = summary.latencyMs.tpot;
    return {
      name: `llama-server (tiny random llama, CPU), ${REQUESTS} streamed completions one at a time, ${OUTPUT_TOKENS} output tokens`,
      completed: summary.requests.completed,
      errored: summary.requests.errored,
      resent: summary.requests.resent,
      outputTokens: summary.tokens.output,
      serverCountedTokens: after.tokens - before.tokens,
      yardstickTpotMeanMs: tpot.mean,
      yardstickTpotP50Ms: tpot.p50,
      yardstickItlP50Ms: summary.latencyMs.itl.p50,
      serverMsPerTokenFromMetrics: serverMsPerToken,
      serverTimingsPredictedPerTokenMs: timingsMs,
      ratioTpotToServerMetrics: tpot.mean / serverMsPerToken,
      ratioTpotToServerTimings: tpot.mean / timingsMs,
    };
  } finally {
    server.kill('SIGKILL');
  }
}
