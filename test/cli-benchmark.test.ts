import { readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { EvalJson } from '../src/eval/eval-summary.js';
import { runCli } from './helpers/cli.js';
import { useScriptedServers, type ScriptedReply, type ScriptedRequest } from './helpers/scripted-server.js';
import { DATA_DIR } from './helpers/fixtures.js';

const serve = useScriptedServers();
const DATA = DATA_DIR;
const MMLU_VAL = join(DATA, 'mmlu', 'val');
const LETTERS = ['A', 'B', 'C', 'D'];

/** MMLU's gold letters read straight from the CSV files, independently of yardstick's reader. */
function mmluGold(folder: string, subjects?: readonly string[]): { block: string; answer: string; subject: string }[] {
  const out: { block: string; answer: string; subject: string }[] = [];
  for (const file of readdirSync(folder).sort()) {
    const subject = file.replace(/_(val|test|dev)\.csv$/, '');
    if (subjects !== undefined && !subjects.includes(subject)) continue;
    const rows: string[][] = parse(readFileSync(join(folder, file), 'utf8'), { relax_quotes: true });
    for (const [q = '', a = '', b = '', c = '', d = '', answer = ''] of rows) {
      out.push({ block: `${q.trim()}\nA. ${a}\nB. ${b}\nC. ${c}\nD. ${d}\nAnswer:`, answer, subject });
    }
  }
  return out;
}

/**
 * A server like llama.cpp's: it ignores `echo`, and answers /completions with the generated token's log-probabilities in
 * the chat format, its alternatives being what `alternatives` returns for the request.
 */
async function noEchoServer(
  alternatives: (body: Record<string, unknown>) => { token: string; logprob: number }[],
): Promise<{ url: string; bodies: Record<string, unknown>[]; close(): Promise<void> }> {
  const bodies: Record<string, unknown>[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString('utf8')));
    req.on('end', () => {
      if (req.url !== '/v1/completions') {
        res.writeHead(404).end();
        return;
      }
      const body = JSON.parse(text) as Record<string, unknown>;
      bodies.push(body);
      const top = alternatives(body);
      const token = { ...(top[0] ?? { token: '', logprob: 0 }), top_logprobs: top };
      const prompts = Array.isArray(body.prompt) ? body.prompt : [body.prompt];
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          choices: prompts.map((_, index) => ({
            index,
            text: token.token,
            logprobs: { content: [token] },
            finish_reason: 'length',
          })),
          usage: { prompt_tokens: 6, completion_tokens: 1 },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    bodies,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

function share(golds: readonly { answer: string }[], letter: string): number {
  return golds.filter((g) => g.answer === letter).length / golds.length;
}

/** The question being asked: the last block of the prompt (few-shot examples come before it). */
function lastBlock(prompt: string): string {
  return prompt.slice(prompt.lastIndexOf('\n\n') + 2);
}

function json(stdout: string): EvalJson {
  return JSON.parse(stdout) as EvalJson;
}

const BASE = ['--data-dir', DATA, '--json', '--concurrency', '8'];

describe('yardstick eval --benchmark mmlu', () => {
  it('loglikelihood: an oracle scores 100% on every subject, with 5-shot prompts in the original format', async () => {
    const subjects = ['abstract_algebra', 'anatomy', 'world_religions'];
    const gold = new Map(mmluGold(join(DATA, 'mmlu', 'test'), subjects).map((g) => [g.block, g.answer]));
    const server = await serve((r: ScriptedRequest): ScriptedReply => {
      const answer = gold.get(lastBlock(r.prompts[0]?.slice(0, -2) ?? ''));
      return { continuationLogprobs: LETTERS.map((l) => (l === answer ? -0.1 : -4)) };
    });
    const result = await runCli([
      'eval',
      '--benchmark',
      'mmlu',
      '--subjects',
      subjects.join(','),
      '--url',
      server.baseUrl,
      '--model',
      'm',
      ...BASE,
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const summary = json(result.stdout);
    const task = summary.benchmark?.tasks[0];
    expect(task?.task).toBe('mmlu');
    expect(task?.n).toBe(100 + 135 + 171);
    expect(task?.metrics.acc?.value).toBe(1);
    expect(task?.metrics.acc_norm?.value).toBe(1);
    expect(task?.fewshot).toBe(5);
    expect(summary.benchmark?.mmlu?.subjects.map((s) => [s.subject, s.acc.value, s.acc.n])).toEqual([
      ['abstract_algebra', 1, 100],
      ['anatomy', 1, 135],
      ['world_religions', 1, 171],
    ]);
    expect(summary.benchmark?.mmlu?.macro.value).toBe(1);
    // One request per question, its four continuations batched, after the subject's five dev examples.
    expect(server.requests).toHaveLength(406);
    const first = server.requests.find((r) =>
      r.prompts[0]?.includes('Find all c in Z_3 such that Z_3[x]/(x^2 + c) is a field.'),
    );
    const prompt = first?.prompts[0] ?? '';
    expect(
      prompt.startsWith(
        'The following are multiple choice questions (with answers) about abstract algebra.\n\nFind all c in Z_3',
      ),
    ).toBe(true);
    expect(prompt.split('\nAnswer:')).toHaveLength(7);
    expect(first?.continuations).toEqual([' A', ' B', ' C', ' D']);
    expect(first?.body).toMatchObject({ echo: true, logprobs: 1, max_tokens: 1 });
  });

  it('choice: a model that always answers "A" scores exactly the share of A among the gold answers, per subject too', async () => {
    const gold = mmluGold(MMLU_VAL);
    const server = await serve(() => ({ text: 'A' }));
    const result = await runCli([
      'eval',
      '--benchmark',
      'mmlu',
      '--split',
      'validation',
      '--kind',
      'openai-chat',
      '--url',
      server.baseUrl,
      '--model',
      'm',
      ...BASE,
    ]);
    expect(result.code).toBe(0);
    const summary = json(result.stdout);
    const mmlu = summary.benchmark?.mmlu;
    // Python's csv module and pandas also read 1,542 rows from these files (the Hugging Face copy has 1,531).
    expect(summary.n).toBe(gold.length);
    expect(summary.n).toBe(1542);
    expect(mmlu?.micro.value).toBeCloseTo(share(gold, 'A'), 12);
    expect(mmlu?.subjects).toHaveLength(57);
    const algebra = gold.filter((g) => g.subject === 'abstract_algebra');
    expect(mmlu?.subjects.find((s) => s.subject === 'abstract_algebra')?.acc.value).toBeCloseTo(
      share(algebra, 'A'),
      12,
    );
    expect(summary.benchmark?.tasks[0]?.unparseableRate).toBe(0);
    expect(summary.benchmark?.tasks[0]?.chance.acc).toBe(0.25);
    // Chat requests keep the standard prompt and add the instruction as a system message.
    const messages = server.requests[0]?.body.messages as { role: string; content: string }[];
    expect(messages[0]).toEqual({
      role: 'system',
      content: 'Reply with exactly one of: A, B, C, D. Give only the answer, with no explanation.',
    });
    expect(messages[1]?.content.endsWith('\nAnswer:')).toBe(true);
  });

  it('loglikelihood: fixed log-probabilities give their argmax (B) on every question', async () => {
    const subjects = ['astronomy', 'virology'];
    const gold = mmluGold(MMLU_VAL, subjects);
    const server = await serve(() => ({ continuationLogprobs: [-3, -1, -2, -4] }));
    const result = await runCli([
      'eval',
      '--benchmark',
      'mmlu',
      '--split',
      'validation',
      '--subjects',
      subjects.join(','),
      '--fewshot',
      '0',
      '--url',
      server.baseUrl,
      '--model',
      'm',
      ...BASE,
    ]);
    expect(result.code).toBe(0);
    const task = json(result.stdout).benchmark?.tasks[0];
    expect(task?.metrics.acc?.value).toBeCloseTo(share(gold, 'B'), 12);
    expect(task?.fewshot).toBe(0);
    expect(
      server.requests[0]?.prompts[0]?.startsWith(
        'The following are multiple choice questions (with answers) about astronomy.\n\n',
      ),
    ).toBe(true);
  });

  it('choice: unparseable answers count as wrong and their rate is reported', async () => {
    const server = await serve((r) => ({ text: r.count % 2 === 0 ? 'I think it is B or C' : 'B' }));
    const result = await runCli([
      'eval',
      '--benchmark',
      'mmlu',
      '--split',
      'validation',
      '--subjects',
      'anatomy',
      '--kind',
      'openai-chat',
      '--url',
      server.baseUrl,
      '--model',
      'm',
      ...BASE,
      '--concurrency',
      '1',
    ]);
    const task = json(result.stdout).benchmark?.tasks[0];
    expect(task?.n).toBe(14);
    expect(task?.unparseableRate).toBeCloseTo(7 / 14, 12);
    expect(task?.metrics.acc?.n).toBe(14);
  });

  it('loglikelihood against a server that neither echoes nor lists enough alternatives: refused after two probes, naming what works', async () => {
    // A server that ignores echo and lists one alternative for the generated token: neither way can rank choices.
    const server = await noEchoServer(() => [{ token: ' displayed', logprob: -10.2 }]);
    try {
      const result = await runCli([
        'eval',
        '--benchmark',
        'mmlu',
        '--split',
        'validation',
        '--subjects',
        'anatomy',
        '--mode',
        'loglikelihood',
        '--kind',
        'openai-completions',
        '--url',
        server.url,
        '--model',
        'm',
        '--data-dir',
        DATA_DIR,
      ]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('error[MODE_UNSUPPORTED]');
      expect(result.stderr).toContain('the server ignores echo');
      expect(result.stderr).toContain('the server listed 1: too few to rank continuations');
      for (const alternative of ['--mode choice', '--kind gguf', 'serve-model --gguf'])
        expect(result.stderr).toContain(alternative);
      expect(server.bodies).toHaveLength(2);
    } finally {
      await server.close();
    }
  });

  it("loglikelihood against a server without echo: single-token choices scored from the first token's top log-probabilities", async () => {
    const golds = mmluGold(MMLU_VAL, ['anatomy']);
    // " B" is the most likely of the letters; " D" is not listed at all, so it is below every listed one.
    const server = await noEchoServer(() => [
      { token: ' The', logprob: -0.5 },
      { token: ' B', logprob: -1.5 },
      { token: ' A', logprob: -2 },
      { token: ' C', logprob: -2.5 },
    ]);
    try {
      const result = await runCli([
        'eval',
        '--benchmark',
        'mmlu',
        '--split',
        'validation',
        '--subjects',
        'anatomy',
        '--fewshot',
        '0',
        '--mode',
        'loglikelihood',
        '--kind',
        'openai-completions',
        '--url',
        server.url,
        '--model',
        'm',
        '--top-logprobs',
        '4',
        ...BASE,
      ]);
      expect(result.code, result.stderr).toBe(0);
      const task = json(result.stdout).benchmark?.tasks[0];
      expect(task?.metrics.acc?.value).toBeCloseTo(share(golds, 'B'), 12);
      expect(task?.scoredBy).toMatchObject({ method: 'top-logprobs', topLogprobs: 4 });
      // Two probes, then one request per question asking for the 4 most likely first tokens of its prompt.
      expect(server.bodies).toHaveLength(2 + golds.length);
      expect(server.bodies[2]).toMatchObject({ model: 'm', max_tokens: 1, logprobs: 4, temperature: 0 });
      expect(String(server.bodies[2]?.prompt).endsWith('Answer:')).toBe(true);
      const shown = await runCli([
        'eval',
        '--benchmark',
        'mmlu',
        '--split',
        'validation',
        '--subjects',
        'anatomy',
        '--limit',
        '2',
        '--fewshot',
        '0',
        '--mode',
        'loglikelihood',
        '--kind',
        'openai-completions',
        '--url',
        server.url,
        '--model',
        'm',
        '--top-logprobs',
        '4',
        '--data-dir',
        DATA_DIR,
        '--offline',
        '--no-cache',
      ]);
      expect(shown.stdout).toContain("scored by the first generated token's 4 most likely alternatives");
      // COPA's choices are sentences: no first token's alternatives can score them, and nothing is sent for them.
      const before = server.bodies.length;
      const copa = await runCli([
        'eval',
        '--benchmark',
        'copa',
        '--mode',
        'loglikelihood',
        '--kind',
        'openai-completions',
        '--url',
        server.url,
        '--model',
        'm',
        '--data-dir',
        DATA_DIR,
        '--offline',
      ]);
      expect(copa.code).toBe(2);
      expect(copa.stderr).toContain('the choices of copa are longer');
      expect(server.bodies.length - before).toBe(2);
    } finally {
      await server.close();
    }
  });
});
