import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EvalJson } from '../src/eval/eval-summary.js';
import type { BenchJson } from '../src/efficiency/bench-json.js';
import { LlamaCppTarget } from '../src/targets/llama-cpp.js';
import { loadNodeLlamaCpp } from '../src/targets/node-llama-cpp.js';
import type { TargetRequest } from '../src/core/types.js';
import { freshDir, runCli } from './helpers/cli.js';
import { DATA_DIR, TINY_GGUF } from './helpers/fixtures.js';

const MODEL = TINY_GGUF;
const DATA = DATA_DIR;
const available = await loadNodeLlamaCpp().then(
  () => true,
  () => false,
);
// CI installs node-llama-cpp (`npm run setup:gguf`) and must run these; elsewhere they run when it is installed.
const skip = !available && process.env.CI !== 'true';

function request(prompt: string, extra: Partial<TargetRequest> = {}): TargetRequest {
  return {
    index: 0,
    promptId: -1,
    prompt,
    messages: null,
    maxTokens: 12,
    clientTokensIn: null,
    extraBody: null,
    ...extra,
  };
}

const never = new AbortController().signal;

describe.skipIf(skip)('the gguf target (node-llama-cpp, tiny random llama)', () => {
  it('scores continuations exactly as a fresh evaluation of each whole text does, whatever the cache held before', async () => {
    const target = new LlamaCppTarget({
      kind: 'gguf',
      model: MODEL,
      contextSize: 512,
      temperature: 0,
      seed: 1,
      maxTokens: 8,
      timeout: 60_000,
    });
    await target.checkReachable();
    const context = 'Question: which planet is the largest?\nAnswer:';
    const choices = [' Jupiter', ' Mars', ' the Sun'];
    const warm = await target.send(request('Something else entirely, to fill the cache.'), {
      signal: never,
      intendedAt: null,
    });
    expect(warm.status).toBe('ok');
    const scored = await target.send(request(context, { continuations: choices }), { signal: never, intendedAt: null });
    expect(scored.status).toBe('ok');
    // Reference: node-llama-cpp on a fresh context per choice, the probability of each continuation token read off the full distribution.
    const lib = await loadNodeLlamaCpp();
    const llama = await lib.getLlama({ gpu: false, build: 'never', logLevel: 'error' });
    const model = await llama.loadModel({ modelPath: MODEL });
    const expected: number[] = [];
    for (const choice of choices) {
      const fresh = await model.createContext({ contextSize: 512, sequences: 1, threads: 1 });
      const bos = model.tokens.bos === null ? [] : [model.tokens.bos];
      const contextTokens = [...bos, ...model.tokenize(context)];
      const whole = [...bos, ...model.tokenize(context + choice)];
      const out = await fresh
        .getSequence()
        .controlledEvaluate(
          whole.map((t, i) =>
            i >= contextTokens.length - 1 && i < whole.length - 1 ? [t, { generateNext: { probabilities: true } }] : t,
          ),
        );
      let sum = 0;
      for (let i = contextTokens.length - 1; i < whole.length - 1; i += 1)
        sum += Math.log(out[i]?.next.probabilities?.get(whole[i + 1] ?? -1) ?? 0);
      expected.push(sum);
      await fresh.dispose();
    }
    await model.dispose();
    await llama.dispose();
    scored.loglikelihoods?.forEach((s, i) => expect(s.logprob).toBeCloseTo(expected[i] ?? Number.NaN, 5));
    expect(scored.loglikelihoods).toHaveLength(3);
    expect(scored.loglikelihoods?.every((s) => s.tokens >= 1 && s.logprob < 0)).toBe(true);
    await target.close();
  });

  it('generates with a timestamp per token and honours the output budget', async () => {
    const target = new LlamaCppTarget({
      kind: 'gguf',
      model: MODEL,
      contextSize: 256,
      temperature: 0,
      seed: 1,
      maxTokens: 8,
      timeout: 60_000,
    });
    await target.checkReachable();
    const first = await target.send(request('Once upon a time'), { signal: never, intendedAt: null });
    const again = await target.send(request('Once upon a time'), { signal: never, intendedAt: null });
    expect(first.status).toBe('ok');
    expect(first.tokensOut).toBe(first.chunks.length);
    expect(first.tokensOut).toBeLessThanOrEqual(12);
    expect(first.firstTokenAt).toBe(first.chunks[0]?.receivedAt);
    expect(first.chunks.every((c, i) => i === 0 || c.receivedAt >= (first.chunks[i - 1]?.receivedAt ?? 0))).toBe(true);
    expect(again.output).toBe(first.output);
    const chat = await target.send(
      request('Hello there', {
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Hello there' },
        ],
      }),
      { signal: never, intendedAt: null },
    );
    const plain = await target.send(request('Hello there'), { signal: never, intendedAt: null });
    expect(chat.status).toBe('ok');
    // The chat template wraps the messages: more prompt tokens than the bare text.
    expect(chat.tokensIn).toBeGreaterThan((plain.tokensIn ?? 0) + 3);
    const tooLong = await target.send(request('word '.repeat(400)), { signal: never, intendedAt: null });
    expect(tooLong.status).toBe('error');
    expect(tooLong.error?.message).toContain('context size');
    await target.close();
  });

  it("a bench cuts its synthetic prompts in the model's own vocabulary: the model counts each as those tokens and its BOS", async () => {
    const dir = freshDir();
    const result = await runCli(
      [
        'bench',
        '--kind',
        'gguf',
        '--model',
        MODEL,
        '--concurrency',
        '1',
        '--requests',
        '4',
        '--input-tokens',
        '48',
        '--output-tokens',
        '4',
        '--json',
      ],
      { cwd: dir },
    );
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout) as BenchJson;
    expect(summary.prompts).toMatchObject({
      tokenizerSource: 'model',
      tokenizer: 'GGUF vocabulary of llama-2-tiny-random.gguf',
      fallbackReason: null,
      tokens: { min: 48, max: 48 },
    });
    expect(summary.tokens.input).toBe(4 * 49);
  }, 60_000);

  it('runs MMLU through loglikelihood mode end to end: near-chance accuracy, with intervals and latency', async () => {
    const result = await runCli([
      'eval',
      '--benchmark',
      'mmlu',
      '--subjects',
      'abstract_algebra,college_physics',
      '--limit',
      '8',
      '--fewshot',
      '2',
      '--kind',
      'gguf',
      '--model',
      MODEL,
      '--data-dir',
      DATA,
      '--json',
      '--concurrency',
      '2',
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as EvalJson;
    const task = summary.benchmark?.tasks[0];
    expect(summary.target.kind).toBe('gguf');
    expect(task?.n).toBe(16);
    expect(task?.answered).toBe(16);
    expect(task?.unparseableRate).toBe(0);
    expect(task?.metrics.acc?.ci).not.toBeNull();
    expect(task?.latencyMs.p50).toBeGreaterThan(0);
    expect(summary.benchmark?.mmlu?.subjects.map((s) => s.acc.n)).toEqual([8, 8]);
  });

  it('a missing model file is a usage error before any work', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'x.txt'), '');
    const result = await runCli(
      [
        'eval',
        '--benchmark',
        'boolq',
        '--kind',
        'gguf',
        '--model',
        join(dir, 'missing.gguf'),
        '--data-dir',
        DATA,
        '--limit',
        '2',
      ],
      { cwd: dir },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error[MODEL_NOT_FOUND]');
    writeFileSync(join(dir, 'fake.gguf'), 'not a model');
    const unreadable = await runCli(
      [
        'eval',
        '--benchmark',
        'boolq',
        '--kind',
        'gguf',
        '--model',
        join(dir, 'fake.gguf'),
        '--data-dir',
        DATA,
        '--limit',
        '2',
      ],
      { cwd: dir },
    );
    expect(unreadable.code).toBe(2);
    expect(unreadable.stderr).toContain('error[MODEL_NOT_GGUF]');
    expect(unreadable.stderr).toContain('is not a GGUF file');
  });
});
