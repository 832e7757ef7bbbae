import Database from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CompareJson } from '../src/eval/compare.js';
import type { EvalJson } from '../src/eval/eval-summary.js';
import { freshDir, runCli, stopAfter } from './helpers/cli.js';
import { useScriptedServers, type ScriptedReply, type ScriptedRequest } from './helpers/scripted-server.js';

const serve = useScriptedServers();

/** Ten labelled reviews; the scripted "model" knows the answers of the first eight and calls the last two wrong. */
const ROWS = [
  ['r1', 'loved it', 'positive'],
  ['r2', 'hated it', 'negative'],
  ['r3', 'wonderful', 'positive'],
  ['r4', 'awful', 'negative'],
  ['r5', 'great fun', 'positive'],
  ['r6', 'boring', 'negative'],
  ['r7', 'superb', 'positive'],
  ['r8', 'dreadful', 'negative'],
  ['r9', 'fine I guess', 'positive'],
  ['r10', 'not terrible', 'positive'],
] as const;

function writeSuite(dir: string, baseUrl: string, extra = ''): string {
  writeFileSync(join(dir, 'data.csv'), `id,text,expected\n${ROWS.map((r) => r.join(',')).join('\n')}\n`);
  const path = join(dir, 'suite.yaml');
  writeFileSync(
    path,
    `name: sentiment
dataset: data.csv
prompt:
  text: "Review: {{text}}\\nSentiment:"
  maxTokens: 3
targets:
  - kind: openai-chat
    name: scripted
    baseUrl: ${baseUrl}
    model: m
    pricing: { inputPerMTokens: 1, outputPerMTokens: 2 }
scorers:
  - type: choice
    choices: [positive, negative]
run:
  concurrency: 2
  retryBaseDelay: 10ms
${extra}`,
  );
  return path;
}

const GOLD = new Map<string, string>(ROWS.map(([, text, label]) => [text, label]));

function knownAnswers(r: ScriptedRequest): ScriptedReply {
  const text = /Review: (.*)\n/.exec(r.prompt)?.[1] ?? '';
  if (text === 'fine I guess' || text === 'not terrible') return { text: 'Negative.' };
  return { text: `The answer is ${GOLD.get(text) ?? '?'}` };
}

describe('yardstick eval', () => {
  it('scores every case, reports metrics with intervals, latency and cost, and passes thresholds', async () => {
    const server = await serve(knownAnswers);
    const dir = freshDir();
    const suite = writeSuite(
      dir,
      server.baseUrl,
      'thresholds:\n  - accuracy >= 0.8\n  - p95(latency) < 5s\n  - cost_per_case < 0.001\n',
    );
    const junit = join(dir, 'junit.xml');
    const result = await runCli(['eval', suite, '--json', '--junit', junit], { cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as EvalJson;
    expect(json).toMatchObject({
      schemaVersion: 1,
      kind: 'eval',
      suite: 'sentiment',
      n: 10,
      repeats: 1,
      repeatability: null,
    });
    expect(json.target.name).toBe('scripted');
    expect(json.cases).toEqual({ planned: 10, answered: 10, errored: 0, unscored: 0, cached: 0 });
    expect(json.metrics.accuracy?.value).toBe(0.8);
    expect(json.metrics.accuracy?.ci?.[0]).toBeCloseTo(0.4902, 3); // Wilson 8/10
    expect(json.metrics.accuracy?.ci?.[1]).toBeCloseTo(0.9433, 3);
    expect(json.metrics.pass_rate?.value).toBe(0.8);
    expect(json.metrics.invalid_rate?.value).toBe(0);
    expect(json.latencyMs.e2e?.count).toBe(10);
    expect(json.latencyMs.ttft?.count).toBe(10);
    expect(json.cost.total).toBeGreaterThan(0);
    // 8 of the 10 answers are right: each right answer carries the cost of 10/8 requests.
    expect(json.cost.perCorrect).toBeCloseTo((json.cost.total ?? 0) / 8, 15);
    expect(json.thresholds.map((t) => t.pass)).toEqual([true, true, true]);
    expect(json.failingCases.map((f) => f.caseId)).toEqual(['r9', 'r10']);
    expect(server.requests).toHaveLength(10);
    const xml = readFileSync(junit, 'utf8');
    expect(xml.match(/<testcase /g)).toHaveLength(13);
    expect(xml.match(/<failure /g)).toHaveLength(2);

    const csv = await runCli(['runs', 'export', json.runId, '--cases', '--format', 'csv'], { cwd: dir });
    expect(csv.code).toBe(0);
    const lines = csv.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^case_id,repeat,status,pass,score,score_choice,label,expected/);
    expect(lines).toHaveLength(11);
  });

  it('answers a rerun from the cache without sending, and measures again with --no-cache', async () => {
    const server = await serve(knownAnswers);
    const dir = freshDir();
    const suite = writeSuite(dir, server.baseUrl);
    await runCli(['eval', suite, '--json'], { cwd: dir });
    expect(server.requests).toHaveLength(10);
    const again = JSON.parse((await runCli(['eval', suite, '--json'], { cwd: dir })).stdout) as EvalJson;
    expect(server.requests).toHaveLength(10);
    expect(again.cases.cached).toBe(10);
    expect(again.metrics.accuracy?.value).toBe(0.8);
    expect(again.latencyMs.e2e).toBeNull();
    const fresh = JSON.parse((await runCli(['eval', suite, '--json', '--no-cache'], { cwd: dir })).stdout) as EvalJson;
    expect(server.requests).toHaveLength(20);
    expect(fresh.cases.cached).toBe(0);
  });

  it('fails thresholds with exit 3 and prints the failing cases', async () => {
    const server = await serve(knownAnswers);
    const dir = freshDir();
    const suite = writeSuite(dir, server.baseUrl);
    const result = await runCli(
      ['eval', suite, '--threshold', 'accuracy >= 0.9', '--threshold', 'lower(accuracy) > 0.45'],
      { cwd: dir },
    );
    expect(result.code).toBe(3);
    expect(result.stdout).toContain('FAIL  accuracy >= 0.9');
    expect(result.stdout).toContain('pass  lower(accuracy) > 0.45');
    expect(result.stdout).toMatch(/r9: expected positive got Negative\./);
  });

  it('retries 429 and 5xx honouring Retry-After, and reports requests that keep failing as errors, not wrong answers', async () => {
    const seen = new Map<string, number>();
    const server = await serve((r) => {
      const n = (seen.get(r.prompt) ?? 0) + 1;
      seen.set(r.prompt, n);
      if (r.prompt.includes('superb')) return { status: 500 };
      if (n === 1) return { status: 429, headers: { 'retry-after': '0' } };
      return knownAnswers(r);
    });
    const dir = freshDir();
    const suite = writeSuite(dir, server.baseUrl, '  retries: 2\n');
    const json = JSON.parse((await runCli(['eval', suite, '--json'], { cwd: dir })).stdout) as EvalJson;
    expect(json.cases).toMatchObject({ answered: 9, errored: 1 });
    expect(json.errors).toEqual({ http_5xx: 1 });
    expect(json.metrics.accuracy).toMatchObject({ value: 7 / 9, n: 9 });
    expect(seen.get('Review: superb\nSentiment:')).toBe(3);
    const cases = JSON.parse((await runCli(['runs', 'export', json.runId, '--cases'], { cwd: dir })).stdout) as {
      caseId: string;
      attempts: number;
      status: string;
    }[];
    expect(cases.find((c) => c.caseId === 'r1')?.attempts).toBe(2);
    expect(cases.find((c) => c.caseId === 'r7')).toMatchObject({ status: 'error', attempts: 3 });
  });

  it('exits 4, not 0% accuracy, when every request fails', async () => {
    const server = await serve(() => ({ status: 503 }));
    const dir = freshDir();
    const suite = writeSuite(dir, server.baseUrl, '  retries: 0\n');
    const result = await runCli(['eval', suite], { cwd: dir });
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/error\[ALL_REQUESTS_FAILED\]: every request to scripted failed \(10 http_5xx\)/);
    const list = await runCli(['runs', 'list', '--json'], { cwd: dir });
    expect(JSON.parse(list.stdout)).toMatchObject([{ kind: 'eval', status: 'failed' }]);
  });

  it('measures repeatability of a nondeterministic target', async () => {
    // r9 and r10 are right on their 1st and 3rd answers and wrong on the 2nd; every other case is always right.
    const calls = new Map<string, number>();
    const server = await serve((r) => {
      const n = (calls.get(r.prompt) ?? 0) + 1;
      calls.set(r.prompt, n);
      const text = /Review: (.*)\n/.exec(r.prompt)?.[1] ?? '';
      const right = GOLD.get(text) ?? '';
      if ((text === 'fine I guess' || text === 'not terrible') && n === 2) return { text: 'negative' };
      return { text: right };
    });
    const dir = freshDir();
    const suite = writeSuite(dir, server.baseUrl);
    const json = JSON.parse(
      (await runCli(['eval', suite, '--json', '--repeats', '3', '--concurrency', '1'], { cwd: dir })).stdout,
    ) as EvalJson;
    const r = json.repeatability;
    if (r === null) throw new Error('no repeatability');
    expect(r).toMatchObject({ repeats: 3, cases: 10 });
    expect(r.flipRate).toBeCloseTo(0.2, 12);
    expect(r.agreement).toBeCloseTo((8 + 2 * (2 / 3)) / 10, 12);
    expect(r.passAtK['1']).toBeCloseTo((8 + 2 * (2 / 3)) / 10, 12);
    expect(r.passAtK['3']).toBeCloseTo(1, 12);
    expect(r.passHatK['3']).toBeCloseTo(0.8, 12);
    expect(r.majorityVote).toEqual({ passRate: 1, accuracy: 1 });
    expect(r.metrics.accuracy?.values).toEqual([1, 0.8, 1]);
    expect(r.metrics.accuracy?.mean).toBeCloseTo(14 / 15, 12);
    expect(r.variance.runToRun).toBeGreaterThan(0);
    expect(json.metrics.accuracy?.value).toBe(1);
  });

  it('compares two runs with paired tests and lists flipped cases', async () => {
    const good = await serve((r) => ({ text: GOLD.get(/Review: (.*)\n/.exec(r.prompt)?.[1] ?? '') ?? '' }));
    const dir = freshDir();
    const a = JSON.parse((await runCli(['eval', writeSuite(dir, good.baseUrl), '--json'], { cwd: dir })).stdout) as {
      runId: string;
    };
    const worse = await serve(knownAnswers);
    const b = JSON.parse((await runCli(['eval', writeSuite(dir, worse.baseUrl), '--json'], { cwd: dir })).stdout) as {
      runId: string;
    };
    const result = await runCli(['compare', a.runId, b.runId, '--json'], { cwd: dir });
    expect(result.code).toBe(0);
    const c = JSON.parse(result.stdout) as CompareJson;
    expect(c.n).toBe(10);
    const accuracy = c.metrics.find((m) => m.name === 'accuracy');
    expect(accuracy).toMatchObject({ a: 1, b: 0.8, test: 'mcnemar-exact', pValue: 0.5 });
    expect(accuracy?.difference).toBeCloseTo(-0.2, 12);
    expect(c.flipped).toEqual({ regressions: ['r9', 'r10'], fixes: [] });
    expect(c.latency[0]).toMatchObject({ metric: 'e2e', test: 'mann-whitney' });
    const text = await runCli(['compare', a.runId, b.runId], { cwd: dir });
    expect(text.stdout).toContain('regressions (passed in A, failed in B): r9, r10');
  });

  it('refuses to compare runs on different cases unless --intersect', async () => {
    const server = await serve(knownAnswers);
    const dir = freshDir();
    const suite = writeSuite(dir, server.baseUrl);
    const a = JSON.parse((await runCli(['eval', suite, '--json', '--limit', '6'], { cwd: dir })).stdout) as {
      runId: string;
    };
    const b = JSON.parse((await runCli(['eval', suite, '--json'], { cwd: dir })).stdout) as { runId: string };
    const refused = await runCli(['compare', a.runId, b.runId], { cwd: dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(
      /error\[CASES_DIFFER\]: the runs were not scored on the same cases: 0 only in .*, 4 only in/,
    );
    const shared = JSON.parse(
      (await runCli(['compare', a.runId, b.runId, '--intersect', '--json'], { cwd: dir })).stdout,
    ) as { n: number; onlyInB: number };
    expect(shared).toMatchObject({ n: 6, onlyInB: 4 });
  });

  it('writes the run as JSON lines with --events: started with the cases to answer, counts, finished', async () => {
    const server = await serve(knownAnswers);
    const dir = freshDir();
    const events = join(dir, 'events.jsonl');
    const result = await runCli(['eval', writeSuite(dir, server.baseUrl), '--json', '--events', events], { cwd: dir });
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as EvalJson;
    const lines = readFileSync(events, 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ event: 'started', runId: summary.runId, kind: 'eval', requests: 10 });
    const counts = lines.filter((l) => l.event === 'progress');
    expect(counts.at(-1)).toMatchObject({ runId: summary.runId, done: 10, total: 10, errored: 0 });
    expect(lines.at(-1)).toMatchObject({ event: 'finished', runId: summary.runId, status: 'completed' });
    expect((lines.at(-1)?.summary as EvalJson).metrics).toEqual(summary.metrics);
  });

  it('refuses to compare a run of another kind, and a suite that names no target, with exit 2', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'preds.csv'), 'label,pred\n1,1\n0,0\n1,0\n');
    const metrics = JSON.parse(
      (await runCli(['metrics', 'preds.csv', '--true', 'label', '--pred', 'pred', '--json'], { cwd: dir })).stdout,
    ) as { runId: string };
    const refused = await runCli(['compare', metrics.runId, metrics.runId], { cwd: dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`error[RUN_KIND]: compare takes eval runs; ${metrics.runId} is a metrics run`);
    expect(refused.stderr).toContain('hint: list eval runs with `yardstick runs list --kind eval`');
    writeFileSync(
      join(dir, 'no-target.yaml'),
      'name: none\ncases:\n  - { id: a, text: x, expected: y }\nprompt: { text: "{{text}}" }\nscorers:\n  - type: equals\n',
    );
    const noTarget = await runCli(['eval', 'no-target.yaml'], { cwd: dir });
    expect(noTarget.code).toBe(2);
    expect(noTarget.stderr).toContain('targets: the suite names no target to evaluate');
    expect(noTarget.stderr).toContain('hint: add a list of targets');
  });

  it('starts no more requests per second than --rate allows', async () => {
    const server = await serve(knownAnswers);
    const dir = freshDir();
    const result = await runCli(
      ['eval', writeSuite(dir, server.baseUrl), '--json', '--rate', '20', '--concurrency', '4'],
      { cwd: dir },
    );
    expect(result.code).toBe(0);
    const times = server.requests.map((r) => r.receivedAtMs).sort((a, b) => a - b);
    expect(times).toHaveLength(10);
    // Starts are on a 50 ms grid at 20/s. The first request also opens a connection, so under load it can arrive late
    // and shorten the whole span; the span from the second to the tenth arrival is free of that. Arrival times carry
    // the receiving side's scheduling jitter too, hence 80% (without the rate cap the ten arrive within milliseconds).
    expect((times[9] ?? 0) - (times[1] ?? 0)).toBeGreaterThan(8 * 50 * 0.8);
  });

  it('resumes a killed run without losing or rescoring a case', async () => {
    const server = await serve((r) => ({ ...knownAnswers(r), delayMs: 40 }));
    const dir = freshDir();
    const rows = Array.from({ length: 60 }, (_, i) => `c${i},review ${i},positive`);
    const suite = writeSuite(dir, server.baseUrl);
    writeFileSync(join(dir, 'data.csv'), `id,text,expected\n${rows.join('\n')}\n`);
    const stop = stopAfter(() => server.requests.length, 20, 'SIGKILL', dir);
    const first = await runCli(['eval', suite, '--no-cache'], stop);
    const runId = stop.run.id;
    expect(first.code).toBeNull();
    const db = new Database(join(dir, 'store.db'), { readonly: true });
    const saved = (db.prepare('SELECT COUNT(*) AS n FROM eval_cases WHERE run_id = ?').get(runId) as { n: number }).n;
    db.close();
    expect(saved).toBeGreaterThan(0);
    expect(saved).toBeLessThan(60);
    const before = server.requests.length;
    const resumed = await runCli(['eval', '--resume', runId, '--json'], { cwd: dir });
    expect(resumed.stderr).toBe('');
    const json = JSON.parse(resumed.stdout) as EvalJson;
    expect(json.runId).toBe(runId);
    expect(json.status).toBe('completed');
    expect(json.cases.answered).toBe(60);
    expect(server.requests.length - before).toBe(60 - saved);
    const cases = JSON.parse((await runCli(['runs', 'export', runId, '--cases'], { cwd: dir })).stdout) as {
      caseId: string;
    }[];
    expect(new Set(cases.map((c) => c.caseId)).size).toBe(60);
    expect(cases).toHaveLength(60);
  });
});
