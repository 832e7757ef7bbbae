import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import type { TargetRequest } from '../src/core/types.js';
import { GgufBackend } from '../src/serve/gguf-backend.js';
import { startModelServer } from '../src/serve/model-server.js';
import { LlamaCppTarget } from '../src/targets/llama-cpp.js';
import { loadNodeLlamaCpp } from '../src/targets/node-llama-cpp.js';
import { createTarget } from '../src/targets/registry.js';
import { CLI, freshDir, runCli } from './helpers/cli.js';
import { TINY_GGUF } from './helpers/fixtures.js';

const MODEL = TINY_GGUF;
const available = await loadNodeLlamaCpp().then(
  () => true,
  () => false,
);
// CI installs node-llama-cpp (`npm run setup:gguf`) and must run these; elsewhere they run when it is installed.
const skip = !available && process.env.CI !== 'true';
const never = new AbortController().signal;

function request(prompt: string, extra: Partial<TargetRequest> = {}): TargetRequest {
  return {
    index: 0,
    promptId: -1,
    prompt,
    messages: null,
    maxTokens: 8,
    clientTokensIn: null,
    extraBody: null,
    ...extra,
  };
}

describe.skipIf(skip)('serve-model --gguf (node-llama-cpp, tiny random llama)', () => {
  it('scores continuations over HTTP (echo + logprobs) exactly as the in-process gguf target does', async () => {
    const backend = await GgufBackend.load({ name: 'tiny', path: MODEL, contextSize: 512, threads: null });
    const server = await startModelServer({ host: '127.0.0.1', port: 0, backends: [backend] });
    const local = new LlamaCppTarget({
      kind: 'gguf',
      model: MODEL,
      contextSize: 512,
      temperature: 0,
      seed: 1,
      maxTokens: 8,
      timeout: 60_000,
    });
    const remote = await createTarget(
      {
        kind: 'openai-completions',
        baseUrl: server.baseUrl,
        model: 'tiny',
        headers: {},
        body: {},
        stream: false,
        continuousUsage: false,
        topLogprobs: 20,
        timeout: 60_000,
        client: 'yardstick',
      },
      { maxConnections: 1 },
    );
    try {
      for (const [context, choices] of [
        ['Question: which planet is the largest?\nAnswer:', [' Jupiter', ' Mars', ' the Sun']],
        ['The capital of France is ', ['Paris', 'Lyon']],
      ] as const) {
        const expected = await local.send(request(context, { continuations: choices }), {
          signal: never,
          intendedAt: null,
        });
        const served = await remote.send(request(context, { continuations: choices }), {
          signal: never,
          intendedAt: null,
        });
        expect(served.status, served.error?.message).toBe('ok');
        expect(served.loglikelihoods).toHaveLength(choices.length);
        served.loglikelihoods?.forEach((s, i) => {
          expect(s.logprob).toBeCloseTo(expected.loglikelihoods?.[i]?.logprob ?? Number.NaN, 4);
          expect(s.tokens).toBe(expected.loglikelihoods?.[i]?.tokens);
          expect(s.isGreedy).toBe(expected.loglikelihoods?.[i]?.isGreedy);
        });
      }
    } finally {
      await remote.close();
      await local.close();
      await server.close();
    }
  });

  it('streams generated text with usage and the log-probability of each generated token', async () => {
    const backend = await GgufBackend.load({ name: 'tiny', path: MODEL, contextSize: 256, threads: null });
    const server = await startModelServer({ host: '127.0.0.1', port: 0, backends: [backend] });
    try {
      const response = await fetch(`${server.baseUrl}/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'tiny',
          prompt: 'Once upon a time',
          max_tokens: 6,
          stream: true,
          stream_options: { include_usage: true },
          logprobs: 2,
        }),
      });
      const events = (await response.text())
        .split('\n\n')
        .map((e) => e.replace(/^data: /, '').trim())
        .filter((e) => e !== '' && e !== '[DONE]')
        .map(
          (e) =>
            JSON.parse(e) as {
              choices: {
                text?: string;
                finish_reason: string | null;
                logprobs: { token_logprobs: number[]; top_logprobs: Record<string, number>[] } | null;
              }[];
              usage?: { prompt_tokens: number; completion_tokens: number };
            },
        );
      const pieces = events.filter((e) => e.choices[0]?.finish_reason === null && e.choices.length > 0);
      const usage = events.at(-1)?.usage;
      expect(usage?.completion_tokens).toBeGreaterThan(0);
      expect(pieces).toHaveLength(usage?.completion_tokens ?? -1);
      expect(usage?.prompt_tokens).toBeGreaterThan(3);
      for (const piece of pieces) {
        const lp = piece.choices[0]?.logprobs;
        const top = Object.values(lp?.top_logprobs[0] ?? {});
        expect(top).toHaveLength(2);
        // Greedy decoding: the chosen token is the most likely one.
        expect(lp?.token_logprobs[0]).toBeCloseTo(Math.max(...top), 9);
      }
    } finally {
      await server.close();
    }
  });

  it('serves from the command line, and refuses a missing or non-GGUF file with exit 2', async () => {
    const child = spawn(
      process.execPath,
      [CLI, 'serve-model', '--gguf', MODEL, '--port', '0', '--context-size', '256'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      const url = await new Promise<string>((resolve) =>
        createInterface({ input: child.stdout }).once('line', (line) => resolve(line.trim())),
      );
      const models = (await (await fetch(`${url}/models`)).json()) as { data: { id: string; kind: string }[] };
      expect(models.data).toMatchObject([{ id: 'llama-2-tiny-random', kind: 'gguf' }]);
      const chat = (await (
        await fetch(`${url}/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            model: 'llama-2-tiny-random',
            messages: [{ role: 'user', content: 'Hi' }],
            max_tokens: 4,
          }),
        })
      ).json()) as { usage: { completion_tokens: number } };
      expect(chat.usage.completion_tokens).toBeLessThanOrEqual(4);
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    }
    const dir = freshDir();
    const missing = await runCli(['serve-model', '--gguf', join(dir, 'nope.gguf')], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('error[MODEL_NOT_FOUND]');
    writeFileSync(join(dir, 'fake.gguf'), 'PK\u0003\u0004 not a model');
    const fake = await runCli(['serve-model', '--gguf', join(dir, 'fake.gguf')], { cwd: dir });
    expect(fake.code).toBe(2);
    expect(fake.stderr).toContain('error[MODEL_NOT_GGUF]');
  });
});
