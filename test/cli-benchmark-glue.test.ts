import { describe, expect, it } from 'vitest';
import { compileBenchmark, loadBenchmark } from '../src/benchmarks/load-benchmark.js';
import type { EvalJson } from '../src/eval/eval-summary.js';
import type { TaskSummary } from '../src/benchmarks/benchmark-summary.js';
import { runCli } from './helpers/cli.js';
import { useScriptedServers, type ScriptedReply, type ScriptedRequest } from './helpers/scripted-server.js';
import { DATA_DIR } from './helpers/fixtures.js';

const serve = useScriptedServers();
const DATA = DATA_DIR;
const BASE = ['--data-dir', DATA, '--json', '--concurrency', '8'];

function tasksOf(stdout: string): Map<string, TaskSummary> {
  const summary = JSON.parse(stdout) as EvalJson;
  return new Map((summary.benchmark?.tasks ?? []).map((t) => [t.task, t]));
}

/** A chat model that always gives the same kind of answer: "yes", "True", "positive" or "1", whichever the task offers. */
function alwaysOne(r: ScriptedRequest): ScriptedReply {
  const messages = r.body.messages as { role: string; content: string }[];
  const offered = /one of: (.*)\. Give only/.exec(messages[0]?.content ?? '')?.[1]?.split(', ') ?? [];
  return { text: ['yes', 'True', 'positive', '1'].find((l) => offered.includes(l)) ?? '?' };
}

/** Gold choice of every request (keyed by its first prompt), from yardstick's loaders: the oracle knows the answers, the test checks the scoring. */
async function goldByContext(tasks: string, limit: number): Promise<Map<string, number[]>> {
  const loaded = await loadBenchmark({
    path: null,
    overrides: {
      benchmark: { tasks: tasks.split(','), dataDir: DATA, limit },
      targets: [{ kind: 'openai-completions', baseUrl: 'http://127.0.0.1:9/v1', model: 'm' }],
    },
  });
  const suite = compileBenchmark(loaded, 0, 'loglikelihood');
  const gold = new Map<string, number[]>();
  for (const evalCase of suite.cases) {
    const { request } = suite.builder.build(evalCase);
    const doc = loaded.tasks
      .flatMap((t) => t.docs)
      .find((d) => evalCase.id.endsWith(`/${d.id}`) && request.prompt.endsWith(d.text));
    gold.set(
      request.prompt + (request.continuations?.[0] ?? ''),
      doc?.gold.length === 0 ? [Math.round(doc.goldValue ?? 0)] : (doc?.gold ?? []),
    );
  }
  return gold;
}

/** The gold of a request, by its first prompt (context and first choice: MultiRC's answers share a context). */
function goldOf(gold: ReadonlyMap<string, number[]>, firstPrompt: string): number[] {
  return gold.get(firstPrompt) ?? [];
}

describe('yardstick eval --benchmark glue / superglue on the real dev files', () => {
  it('choice: always answering yes/True/positive scores exactly the label shares of each file', async () => {
    const server = await serve(alwaysOne);
    const result = await runCli([
      'eval',
      '--benchmark',
      'cola,sst2,mrpc,qnli,rte,wnli',
      '--kind',
      'openai-chat',
      '--url',
      server.baseUrl,
      '--model',
      'm',
      ...BASE,
    ]);
    expect(result.code).toBe(0);
    const tasks = tasksOf(result.stdout);
    expect(tasks.get('cola')?.metrics.mcc?.value).toBe(0);
    expect(tasks.get('cola')?.n).toBe(1043);
    expect(tasks.get('sst2')?.metrics.acc?.value).toBeCloseTo(444 / 872, 12);
    expect(tasks.get('mrpc')?.metrics.acc?.value).toBeCloseTo(279 / 408, 12);
    expect(tasks.get('mrpc')?.metrics.f1?.value).toBeCloseTo((2 * 279) / (2 * 279 + 129), 12);
    expect(tasks.get('qnli')?.metrics.acc?.value).toBeCloseTo(2702 / 5463, 12);
    expect(tasks.get('rte')?.metrics.acc?.value).toBeCloseTo(146 / 277, 12);
    expect(tasks.get('wnli')?.metrics.acc?.value).toBeCloseTo(31 / 71, 12);
    for (const task of tasks.values()) expect(task.unparseableRate).toBe(0);
  });

  it('choice: the same on SuperGLUE, with CB macro F1 and MultiRC F1a / exact match', async () => {
    const server = await serve(alwaysOne);
    const result = await runCli([
      'eval',
      '--benchmark',
      'superglue',
      '--kind',
      'openai-chat',
      '--url',
      server.baseUrl,
      '--model',
      'm',
      ...BASE,
    ]);
    // ReCoRD has no copy here: naming the whole benchmark fails, listing it.
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('record');
    const named = await runCli([
      'eval',
      '--benchmark',
      'boolq,cb,copa,multirc,sglue_rte,wic,wsc',
      '--kind',
      'openai-chat',
      '--url',
      server.baseUrl,
      '--model',
      'm',
      ...BASE,
    ]);
    expect(named.code).toBe(0);
    const tasks = tasksOf(named.stdout);
    expect(tasks.get('boolq')?.metrics.acc?.value).toBeCloseTo(2033 / 3270, 12);
    expect(tasks.get('cb')?.metrics.acc?.value).toBeCloseTo(23 / 56, 12);
    expect(tasks.get('cb')?.metrics.macro_f1?.value).toBeCloseTo((2 * 23) / (2 * 23 + 33) / 3, 12);
    expect(tasks.get('copa')?.metrics.acc?.value).toBeCloseTo(55 / 100, 12);
    expect(tasks.get('multirc')?.n).toBe(4848);
    expect(tasks.get('multirc')?.metrics.acc?.value).toBeCloseTo(2075 / 4848, 12);
    const p = 2075 / 4848;
    expect(tasks.get('multirc')?.metrics.f1a?.value).toBeCloseTo((2 * p) / (p + 1), 12);
    expect(tasks.get('multirc')?.metrics.em?.value).toBeCloseTo(8 / 953, 12);
    expect(tasks.get('multirc')?.metrics.em?.n).toBe(953);
    expect(tasks.get('sglue_rte')?.metrics.acc?.value).toBeCloseTo(146 / 277, 12);
    expect(tasks.get('wic')?.metrics.acc?.value).toBeCloseTo(319 / 638, 12);
    expect(tasks.get('wsc')?.metrics.acc?.value).toBeCloseTo(38 / 104, 12);
  });

  it('loglikelihood: an oracle scores 1 on every metric of every task it can', async () => {
    const names = 'cola,sst2,mrpc,qnli,rte,wnli,boolq,cb,copa,multirc,sglue_rte,wic,wsc';
    const gold = await goldByContext(names, 120);
    const server = await serve((r) => {
      const right = goldOf(gold, r.prompts[0] ?? '');
      return { continuationLogprobs: r.prompts.map((_, i) => (right.includes(i) ? -0.2 : -6)) };
    });
    const result = await runCli([
      'eval',
      '--benchmark',
      names,
      '--limit',
      '120',
      '--url',
      server.baseUrl,
      '--model',
      'm',
      ...BASE,
    ]);
    expect(result.code).toBe(0);
    const tasks = tasksOf(result.stdout);
    expect([...tasks.keys()]).toEqual(names.split(','));
    for (const task of tasks.values()) {
      for (const [name, metric] of Object.entries(task.metrics))
        expect([task.task, name, metric.value]).toEqual([task.task, name, 1]);
    }
  });

  it('choice: an oracle naming the gold label scores 1 on every metric, the option-listing prompts of COPA and MultiRC included', async () => {
    const names = 'cola,sst2,mrpc,qnli,rte,wnli,boolq,cb,copa,multirc,sglue_rte,wic,wsc';
    const loaded = await loadBenchmark({
      path: null,
      overrides: {
        benchmark: { tasks: names.split(','), dataDir: DATA, limit: 80, mode: 'choice' },
        targets: [{ kind: 'openai-chat', baseUrl: 'http://127.0.0.1:9/v1', model: 'm' }],
      },
    });
    const suite = compileBenchmark(loaded, 0, 'choice');
    const docs = new Map(loaded.tasks.flatMap((t) => t.docs.map((d) => [`${t.name}/${d.id}`, d])));
    const gold = new Map<string, string>();
    for (const evalCase of suite.cases) {
      const doc = docs.get(evalCase.id);
      const user = suite.builder.build(evalCase).request.messages?.[1]?.content ?? '';
      // MultiRC's answer options share a question: the prompt tells them apart by the candidate answer.
      if (doc !== undefined) gold.set(user, doc.labels[doc.gold[0] ?? -1] ?? '');
    }
    const server = await serve((r) => ({
      text: `**${gold.get((r.body.messages as { content: string }[])[1]?.content ?? '') ?? '?'}**`,
    }));
    const result = await runCli([
      'eval',
      '--benchmark',
      names,
      '--limit',
      '80',
      '--kind',
      'openai-chat',
      '--url',
      server.baseUrl,
      '--model',
      'm',
      ...BASE,
    ]);
    expect(result.code).toBe(0);
    for (const task of tasksOf(result.stdout).values()) {
      expect([task.task, task.unparseableRate]).toEqual([task.task, 0]);
      for (const [name, metric] of Object.entries(task.metrics))
        expect([task.task, name, metric.value]).toEqual([task.task, name, 1]);
    }
  });

  it('STS-B: Pearson and Spearman are 1 for an oracle naming the gold similarity; loglikelihood takes the expected scale point', async () => {
    const golds = await goldByContext('stsb', 200);
    const loaded = await loadBenchmark({
      path: null,
      overrides: {
        benchmark: { tasks: ['stsb'], dataDir: DATA, limit: 200 },
        targets: [{ kind: 'openai-chat', baseUrl: 'http://127.0.0.1:9/v1', model: 'm' }],
      },
    });
    const value = new Map(loaded.tasks[0]?.docs.map((d) => [d.text, d.goldValue ?? 0]));
    const chat = await serve((r) => {
      const ask = (r.body.messages as { content: string }[])[1]?.content ?? '';
      return { text: String(value.get(ask) ?? '') };
    });
    const exact = tasksOf(
      (
        await runCli([
          'eval',
          '--benchmark',
          'stsb',
          '--limit',
          '200',
          '--kind',
          'openai-chat',
          '--url',
          chat.baseUrl,
          '--model',
          'm',
          ...BASE,
        ])
      ).stdout,
    ).get('stsb');
    expect(exact?.metrics.pearson?.value).toBeCloseTo(1, 12);
    expect(exact?.metrics.spearman?.value).toBeCloseTo(1, 12);
    expect(exact?.chance.pearson).toBe(0);
    const completions = await serve((r) => {
      const point = goldOf(golds, r.prompts[0] ?? '')[0] ?? 0;
      return { continuationLogprobs: r.prompts.map((_, i) => -4 * (i - point) ** 2) };
    });
    const soft = tasksOf(
      (
        await runCli([
          'eval',
          '--benchmark',
          'stsb',
          '--limit',
          '200',
          '--url',
          completions.baseUrl,
          '--model',
          'm',
          ...BASE,
        ])
      ).stdout,
    ).get('stsb');
    expect(soft?.metrics.pearson?.value).toBeGreaterThan(0.95);
    expect(soft?.metrics.pearson?.ci).not.toBeNull();
  });

  it('two modes on the same target: the second run reports how often they agree', async () => {
    const gold = await goldByContext('boolq', 60);
    const server = await serve((r) => {
      if (r.body.echo === true) {
        const right = goldOf(gold, r.prompts[0] ?? '');
        return { continuationLogprobs: r.prompts.map((_, i) => (right.includes(i) ? -0.2 : -6)) };
      }
      return { text: ' yes\n\nQuestion: and more text' };
    });
    const result = await runCli([
      'eval',
      '--benchmark',
      'boolq',
      '--limit',
      '60',
      '--mode',
      'loglikelihood,choice',
      '--url',
      server.baseUrl,
      '--model',
      'm',
      ...BASE,
    ]);
    expect(result.code).toBe(0);
    const [first, second] = JSON.parse(result.stdout) as EvalJson[];
    const yesShare = [...gold.values()].filter((g) => g[0] === 1).length / 60;
    expect(first?.benchmark?.tasks[0]?.metrics.acc?.value).toBe(1);
    expect(second?.benchmark?.mode).toBe('choice');
    expect(second?.benchmark?.tasks[0]?.metrics.acc?.value).toBeCloseTo(yesShare, 12);
    expect(second?.benchmark?.agreement?.[0]).toMatchObject({
      task: 'boolq',
      otherMode: 'loglikelihood',
      otherRunId: first?.runId,
      n: 60,
    });
    expect(second?.benchmark?.agreement?.[0]?.rate).toBeCloseTo(yesShare, 12);
  });

  it('a chat target cannot score continuations: loglikelihood mode is refused before any request', async () => {
    const server = await serve(() => ({ text: 'yes' }));
    const result = await runCli([
      'eval',
      '--benchmark',
      'boolq',
      '--mode',
      'loglikelihood',
      '--kind',
      'openai-chat',
      '--url',
      server.baseUrl,
      '--model',
      'm',
      ...BASE,
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('cannot score continuations');
    expect(server.requests).toHaveLength(0);
  });
});
