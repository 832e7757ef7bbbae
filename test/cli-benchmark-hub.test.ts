import { readFileSync, mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import type { EvalJson } from '../src/eval/eval-summary.js';
import { HUB_REVISIONS } from '../src/benchmarks/data-files.js';
import { freshDir, runCli } from './helpers/cli.js';
import { useScriptedServers } from './helpers/scripted-server.js';
import { DATA_DIR } from './helpers/fixtures.js';

const serve = useScriptedServers();
const WNLI = join(DATA_DIR, 'glue', 'WNLI', 'validation.parquet');

type Column = { name: string; data: unknown[]; type?: 'INT64' | 'STRING' | 'BOOLEAN' };

function writeParquet(path: string, columns: Column[]): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, Buffer.from(parquetWriteBuffer({ columnData: columns })));
}

function tasks(stdout: string): Map<string, NonNullable<EvalJson['benchmark']>['tasks'][number]> {
  return new Map((JSON.parse(stdout) as EvalJson).benchmark?.tasks.map((t) => [t.task, t]));
}

/** A chat model that always names the first label it is offered. */
const firstLabel = (r: { body: Record<string, unknown> }): { text: string } => {
  const system = (r.body.messages as { content: string }[])[0]?.content ?? '';
  return { text: /one of: ([^,.]+)/.exec(system)?.[1] ?? '?' };
};

describe('the Hugging Face Parquet layouts', () => {
  it('cais/mmlu: the all/ files with their subject column, list of choices and numeric answer', async () => {
    const dir = freshDir();
    const root = join(dir, 'cais', 'mmlu', 'all');
    const rows = (split: string, n: number) =>
      Array.from({ length: n }, (_, i) => ({
        question: `${split} question ${i}?`,
        subject: i % 2 === 0 ? 'anatomy' : 'virology',
        choices: ['w', 'x', 'y', 'z'],
        answer: BigInt(i % 4),
      }));
    for (const [split, n] of [
      ['test', 12],
      ['dev', 10],
    ] as const) {
      const data = rows(split, n);
      writeParquet(join(root, `${split}-00000-of-00001.parquet`), [
        { name: 'question', data: data.map((r) => r.question), type: 'STRING' },
        { name: 'subject', data: data.map((r) => r.subject), type: 'STRING' },
        { name: 'choices', data: data.map((r) => r.choices) },
        { name: 'answer', data: data.map((r) => r.answer), type: 'INT64' },
      ]);
    }
    const server = await serve(() => ({ text: 'A' }));
    const result = await runCli([
      'eval',
      '--benchmark',
      'mmlu',
      '--subjects',
      'anatomy,virology',
      '--fewshot',
      '2',
      '--data-dir',
      dir,
      '--kind',
      'openai-chat',
      '--url',
      server.baseUrl,
      '--model',
      'm',
      '--json',
    ]);
    expect(result.stderr).toBe('');
    const summary = JSON.parse(result.stdout) as EvalJson;
    // Answers 0,1,2,3,0,1,… : questions 0, 4 and 8 have gold A.
    expect(summary.benchmark?.tasks[0]?.metrics.acc?.value).toBe(3 / 12);
    expect(summary.benchmark?.mmlu?.subjects.map((s) => [s.subject, s.acc.n])).toEqual([
      ['anatomy', 6],
      ['virology', 6],
    ]);
    const user = (server.requests[0]?.body.messages as { content: string }[])[1]?.content ?? '';
    expect(user).toBe(
      'The following are multiple choice questions (with answers) about anatomy.\n\ndev question 0?\nA. w\nB. x\nC. y\nD. z\nAnswer: A\n\ndev question 2?\nA. w\nB. x\nC. y\nD. z\nAnswer: C\n\ntest question 0?\nA. w\nB. x\nC. y\nD. z\nAnswer:',
    );
  });

  it('aps/super_glue: flattened MultiRC, ReCoRD and WSC rows and numeric labels', async () => {
    const dir = freshDir();
    const root = join(dir, 'aps', 'super_glue');
    writeParquet(join(root, 'multirc', 'validation-00000-of-00001.parquet'), [
      { name: 'paragraph', data: ['P one.', 'P one.', 'P one.'], type: 'STRING' },
      { name: 'question', data: ['Q?', 'Q?', 'Q2?'], type: 'STRING' },
      { name: 'answer', data: ['right', 'wrong', 'right too'], type: 'STRING' },
      {
        name: 'idx',
        data: [
          { paragraph: 0, question: 0, answer: 0 },
          { paragraph: 0, question: 0, answer: 1 },
          { paragraph: 0, question: 1, answer: 2 },
        ],
      },
      { name: 'label', data: [1n, 0n, 1n], type: 'INT64' },
    ]);
    writeParquet(join(root, 'record', 'validation-00000-of-00001.parquet'), [
      { name: 'passage', data: ['Ann met Bob.\n@highlight\nA meeting'], type: 'STRING' },
      { name: 'query', data: ['@placeholder was met.'], type: 'STRING' },
      { name: 'entities', data: [['Bob', 'Ann', 'Bob']] },
      { name: 'answers', data: [['Bob']] },
      { name: 'idx', data: [{ passage: 0, query: 0 }] },
    ]);
    writeParquet(join(root, 'wsc.fixed', 'validation-00000-of-00001.parquet'), [
      {
        name: 'text',
        data: ['Mark told Pete many lies about himself , which Pete included in his book .'],
        type: 'STRING',
      },
      { name: 'span1_index', data: [0n], type: 'INT64' },
      { name: 'span2_index', data: [12n], type: 'INT64' },
      { name: 'span1_text', data: ['Mark'], type: 'STRING' },
      { name: 'span2_text', data: ['his'], type: 'STRING' },
      { name: 'idx', data: [0n], type: 'INT64' },
      { name: 'label', data: [0n], type: 'INT64' },
    ]);
    const server = await serve(firstLabel);
    const result = await runCli([
      'eval',
      '--benchmark',
      'multirc,record,wsc',
      '--data-dir',
      dir,
      '--kind',
      'openai-chat',
      '--url',
      server.baseUrl,
      '--model',
      'm',
      '--json',
    ]);
    expect(result.stderr).toBe('');
    const byTask = tasks(result.stdout);
    // MultiRC's first label is "yes": right on the two correct answers, wrong on the other; one question all right.
    expect(byTask.get('multirc')?.metrics.acc?.value).toBeCloseTo(2 / 3, 12);
    expect(byTask.get('multirc')?.metrics.em?.value).toBe(0.5);
    // ReCoRD's entities are deduplicated and sorted (Ann, Bob): the first is wrong.
    expect(byTask.get('record')?.metrics.record_em?.value).toBe(0);
    // WSC's first label is "no", the gold of its only row (label 0).
    expect(byTask.get('wsc')?.metrics.acc?.value).toBe(1);
    const asks = server.requests.map((r) => (r.body.messages as { content: string }[])[1]?.content ?? '');
    expect(asks).toContain(
      'Passage: Mark told Pete many lies about himself, which Pete included in *his* book.\nQuestion: In the passage above, does the pronoun "*his*" refer to "*Mark*"?\nAnswer:',
    );
    expect(asks).toContain(
      'Ann met Bob.\n\n  - A meeting.\n\nQuery: @placeholder was met.\nWhich entity should replace @placeholder? Options: Ann | Bob\nAnswer:',
    );
  });

  it('downloads a missing file from the hub (HF_ENDPOINT) at the pinned revision once, then reads the cache', async () => {
    const wanted = `/datasets/nyu-mll/glue/resolve/${HUB_REVISIONS['nyu-mll/glue']}/wnli/validation-00000-of-00001.parquet`;
    const asked: string[] = [];
    const hub = createServer((req, res) => {
      asked.push(req.url ?? '');
      if (req.url === wanted) {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        res.end(readFileSync(WNLI));
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise<void>((resolve) => hub.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(hub.address() as AddressInfo).port}`;
    const dir = freshDir();
    const env = { HF_ENDPOINT: endpoint, XDG_CACHE_HOME: join(dir, 'cache'), YARDSTICK_OFFLINE: '0' };
    const model = await serve(() => ({ text: 'True' }));
    try {
      const first = await runCli(
        [
          'eval',
          '--benchmark',
          'wnli',
          '--data-dir',
          join(dir, 'empty'),
          '--kind',
          'openai-chat',
          '--url',
          model.baseUrl,
          '--model',
          'm',
          '--json',
        ],
        { env, cwd: dir },
      );
      expect(first.stderr).toContain(`downloading ${endpoint}${wanted}`);
      const task = tasks(first.stdout).get('wnli');
      expect(task?.metrics.acc?.value).toBeCloseTo(31 / 71, 12);
      expect(task?.source).toBe(
        `hf://datasets/nyu-mll/glue@${HUB_REVISIONS['nyu-mll/glue']}/wnli/validation-00000-of-00001.parquet`,
      );
      expect(
        existsSync(
          join(
            dir,
            'cache',
            'yardstick',
            'datasets',
            'nyu-mll/glue',
            HUB_REVISIONS['nyu-mll/glue'],
            'wnli',
            'validation-00000-of-00001.parquet',
          ),
        ),
      ).toBe(true);
      const second = await runCli(
        [
          'eval',
          '--benchmark',
          'wnli',
          '--data-dir',
          join(dir, 'empty'),
          '--kind',
          'openai-chat',
          '--url',
          model.baseUrl,
          '--model',
          'm',
          '--json',
        ],
        { env, cwd: dir },
      );
      expect(second.stderr).toBe('');
      expect(asked).toEqual([wanted]);
      const missing = await runCli(
        ['eval', '--benchmark', 'cola', '--data-dir', join(dir, 'empty'), '--url', model.baseUrl, '--model', 'm'],
        { env, cwd: dir },
      );
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain('HTTP 404');
    } finally {
      hub.closeAllConnections();
      await new Promise<void>((resolve) => hub.close(() => resolve()));
    }
  });
});
