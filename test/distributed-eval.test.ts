import type { ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvalJson } from '../src/eval/eval-summary.js';
import { PostgresStore } from '../src/store/postgres.js';
import { runCli } from './helpers/cli.js';
import { dirWithPackage } from './helpers/package-dir.js';
import { postgresBinDir, startPostgres, type RunningPostgres } from './helpers/postgres.js';
import { redisServerBinary, startRedis, type RunningRedis } from './helpers/redis.js';
import { startWorker, stopped } from './helpers/workers.js';

const pgBin = postgresBinDir();
const redisBin = redisServerBinary();
// CI installs postgresql and redis-server (.ci/run) and must run these; elsewhere they run when both are there.
if ((pgBin === null || redisBin === null) && process.env.CI === 'true')
  throw new Error('PostgreSQL or Redis is not installed (CI must run the distributed eval tests)');

let postgres: RunningPostgres;
let redis: RunningRedis;

beforeAll(async () => {
  if (pgBin === null || redisBin === null) return;
  postgres = await startPostgres(pgBin);
  redis = await startRedis(redisBin);
}, 60_000);

afterAll(async () => {
  await redis?.stop();
  await postgres?.stop();
});

/** Answers after `delayMs`: right on every case but those whose id ends in 7 (a known 36 of 40 pass). */
function writeSuite(dir: string, delayMs: number): void {
  writeFileSync(
    join(dir, 'slow.mjs'),
    `import { appendFileSync } from 'node:fs';
import { functionTarget } from 'yardstick/eval';
export function slow() {
  return functionTarget({
    name: 'slow',
    answer: async (r) => {
      const n = /n(\\d+)/.exec(r.prompt)?.[1] ?? '';
      // Every request any process sends, one line each: what the target was asked, counted.
      appendFileSync(new URL('./calls.log', import.meta.url), 'n' + n + '\\n');
      await new Promise((resolve) => setTimeout(resolve, ${delayMs}));
      return n.endsWith('7') ? 'odd' : 'n' + n;
    },
  });
}
`,
  );
  writeFileSync(
    join(dir, 'suite.yaml'),
    [
      'name: echo-ids',
      'cases:',
      ...Array.from({ length: 40 }, (_, i) => `  - { id: c${i}, q: "n${i}", expected: "n${i}" }`),
      'prompt: { text: "{{q}}" }',
      'targets: [{ kind: custom, module: slow.mjs, export: slow }]',
      'scorers: [{ type: equals }]',
      'run: { concurrency: 2 }',
      '',
    ].join('\n'),
  );
}

/** Starts `yardstick worker` on the test's Redis and store. */
async function startEvalWorker(dir: string, store: string): Promise<ChildProcess> {
  const { child } = await startWorker(redis.url, {
    cwd: dir,
    env: { YARDSTICK_STORE: store },
    extra: ['--lock-duration', '2s'],
  });
  return child;
}

describe.skipIf(pgBin === null || redisBin === null)('an eval spread over worker processes through Redis', () => {
  it('gives the summary a local run gives, every case scored once', async () => {
    const dir = dirWithPackage();
    writeSuite(dir, 20);
    const local = await runCli(['eval', 'suite.yaml', '--json'], { cwd: dir });
    expect(local.code, local.stderr).toBe(0);
    const store = await postgres.freshDatabase();
    const workers = await Promise.all([startEvalWorker(dir, store), startEvalWorker(dir, store)]);
    try {
      const spread = await runCli(['eval', 'suite.yaml', '--queue', redis.url, '--batch', '5', '--json'], {
        cwd: dir,
        env: { YARDSTICK_STORE: store },
      });
      expect(spread.code, spread.stderr).toBe(0);
      const [a, b] = [local, spread].map((r) => JSON.parse(r.stdout) as EvalJson);
      expect(b?.status).toBe('completed');
      expect(b?.cases).toEqual(a?.cases);
      expect(b?.metrics).toEqual(a?.metrics);
      expect(b?.failingCount).toBe(4);
      expect(b?.failingCases.map((c) => c.caseId).sort()).toEqual(a?.failingCases.map((c) => c.caseId).sort());
    } finally {
      await Promise.all(workers.map((w) => stopped(w, 'SIGINT')));
    }
  }, 120_000);

  it.each([
    ['killed', 'SIGKILL'],
    ['stopped', 'SIGINT'],
  ] as const)(
    'loses nothing and scores nothing twice when a worker is %s mid-batch',
    async (_, signal) => {
      const dir = dirWithPackage();
      writeSuite(dir, 150);
      const store = await postgres.freshDatabase();
      const [first, second] = await Promise.all([startEvalWorker(dir, store), startEvalWorker(dir, store)]);
      if (first === undefined || second === undefined) throw new Error('workers did not start');
      const reader = new PostgresStore(store);
      try {
        // No response cache: a case sent again would reach the target and be counted.
        const running = runCli(['eval', 'suite.yaml', '--queue', redis.url, '--batch', '10', '--no-cache', '--json'], {
          cwd: dir,
          env: { YARDSTICK_STORE: store },
        });
        // Once some cases are stored, the first worker dies without a word (or is told to stop), its batch half done.
        let runId = '';
        for (let i = 0; i < 200 && runId === ''; i += 1) {
          const [run] = await reader.listRuns({ limit: 1 });
          if (run !== undefined && (await reader.listCases(run.id)).length >= 6) runId = run.id;
          else await new Promise((resolve) => setTimeout(resolve, 50));
        }
        expect(runId).not.toBe('');
        await stopped(first, signal);
        // What was stored when the worker went (the other worker goes on storing its own cases).
        const storedWhenGone = new Set((await reader.listCases(runId)).map((c) => c.caseId));
        const result = await running;
        expect(result.code, result.stderr).toBe(0);
        const summary = JSON.parse(result.stdout) as EvalJson;
        expect(summary.status).toBe('completed');
        expect(summary.cases).toMatchObject({ planned: 40, answered: 40, errored: 0 });
        expect(summary.metrics.pass_rate?.value).toBe(36 / 40);
        const cases = await reader.listCases(summary.runId);
        expect(cases).toHaveLength(40);
        expect(new Set(cases.map((c) => c.caseId)).size).toBe(40);
        // A case stored before the worker went was sent once, never again. A killed worker's cases in flight, or
        // answered but not yet written, are sent again; a stopped worker finishes and stores its own first.
        const calls = readFileSync(join(dir, 'calls.log'), 'utf8').trim().split('\n');
        const sent = (id: string): number => calls.filter((n) => n === id.replace('c', 'n')).length;
        expect([...storedWhenGone].filter((id) => sent(id) !== 1)).toEqual([]);
        expect(new Set(calls).size).toBe(40);
        if (signal === 'SIGINT') expect(calls).toHaveLength(40);
      } finally {
        await reader.close();
        await stopped(second, 'SIGINT');
      }
    },
    120_000,
  );

  it('ends interrupted, naming the reason, when the workers use another store than the eval', async () => {
    const dir = dirWithPackage();
    writeSuite(dir, 0);
    const store = await postgres.freshDatabase();
    // The worker's store is its own SQLite file: the run the eval recorded is not there.
    const { child } = await startWorker(redis.url, { cwd: dir, extra: ['--lock-duration', '2s'] });
    try {
      const result = await runCli(['eval', 'suite.yaml', '--queue', redis.url, '--batch', '20', '--json'], {
        cwd: dir,
        env: { YARDSTICK_STORE: store },
      });
      expect(result.code, result.stderr).toBe(130);
      expect((JSON.parse(result.stdout) as EvalJson).status).toBe('interrupted');
      expect(result.stderr).toMatch(
        /warning: 20 cases were not done by any worker: no eval run \S+ with its settings in the store this worker uses/,
      );
    } finally {
      await stopped(child, 'SIGINT');
    }
  }, 60_000);

  it('refuses a queue that is not a Redis URL with exit 2', async () => {
    const dir = dirWithPackage();
    writeSuite(dir, 0);
    const bad = await runCli(['eval', 'suite.yaml', '--queue', 'http://127.0.0.1:1'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("error[FLAG_INVALID]: --queue 'http://127.0.0.1:1' is not a Redis URL");
  });
});
