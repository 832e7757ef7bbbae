import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenchJson } from '../src/efficiency/bench-json.js';
import { startSimulator, type RunningSimulator } from '../src/simulator/server.js';
import { freshDir, runCli } from './helpers/cli.js';
import { freePort } from './helpers/free-port.js';
import { redisServerBinary, startRedis, type RunningRedis } from './helpers/redis.js';
import { startWorker, stopped } from './helpers/workers.js';

const redisBin = redisServerBinary();
// CI installs redis-server (.ci/run) and must run these; elsewhere they run when it is there.
if (redisBin === null && process.env.CI === 'true')
  throw new Error('Redis is not installed (CI must run the distributed bench tests)');

let redis: RunningRedis;
let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator({ ttftMs: 20, itlMs: 2 });
  if (redisBin !== null) redis = await startRedis(redisBin);
}, 60_000);

afterAll(async () => {
  await redis?.stop();
  await sim.close();
});

const target = (): string[] => [
  '--url',
  `${sim.url}/v1`,
  '--model',
  'sim',
  '--output-tokens',
  '8',
  '--input-tokens',
  '16',
  '--min-duration',
  '1s',
];

async function workers(count: number, dir: string): Promise<Awaited<ReturnType<typeof startWorker>>[]> {
  return Promise.all(Array.from({ length: count }, () => startWorker(redis.url, { cwd: dir })));
}

/** `yardstick bench` against the simulator with its load over `workers` worker processes; `flags` space-separated. */
function spreadBench(dir: string, workers: number, flags: string): ReturnType<typeof runCli> {
  return runCli(['bench', ...target(), ...flags.split(' '), '--queue', redis.url, '--workers', String(workers)], {
    cwd: dir,
  });
}

function pidOf(worker: string): number {
  return Number(worker.split(':').at(-1));
}

describe.skipIf(redisBin === null)('a bench spread over worker processes through Redis', () => {
  it('refuses to start without enough workers, and leaves the workers free for the next run', async () => {
    const dir = freshDir();
    const started = await workers(2, dir);
    try {
      const short = await spreadBench(dir, 3, '--profile rate --rate 20 --duration 2s --worker-wait 2s');
      expect(short.code).toBe(4);
      expect(short.stderr).toContain('error[WORKERS_MISSING]: 2 of 3 workers took a shard');
      expect(short.stderr).toContain('start 1 more: yardstick worker --queue redis://127.0.0.1');
      // Refused before the run was recorded: nothing to clean up.
      expect((await runCli(['runs', 'list'], { cwd: dir })).stdout).toContain('no runs stored yet');
      // A clock known less well than asked for is refused, before the run is recorded, and the workers let go.
      const strict = await spreadBench(dir, 2, '--requests 4 --max-clock-error 0.000001');
      expect(strict.code).toBe(4);
      expect(strict.stderr).toMatch(/error\[CLOCK_UNCERTAIN\]: the clock of worker \S+ \(shard 1\) is known only to ±/);
      expect(strict.stderr).toContain('above --max-clock-error 0.000001 ms');
      expect((await runCli(['runs', 'list'], { cwd: dir })).stdout).toContain('no runs stored yet');
      // A target that cannot be reached, found after the workers were gathered: exit 4, and they are let go at once.
      const unreachable = await runCli(
        ['bench', '--url', `http://127.0.0.1:${await freePort()}/v1`, '--model', 'm', '--requests', '4'].concat([
          '--queue',
          redis.url,
          '--workers',
          '2',
        ]),
        { cwd: dir },
      );
      expect(unreachable.code).toBe(4);
      const enough = await spreadBench(dir, 2, '--profile rate --rate 20 --duration 1s --worker-wait 5s --json');
      expect(enough.code, enough.stderr).toBe(0);
      expect((JSON.parse(enough.stdout) as BenchJson).scaleOut?.workers).toHaveLength(2);
    } finally {
      await Promise.all(started.map((w) => stopped(w.child, 'SIGINT')));
    }
  }, 60_000);

  it('splits an open and a closed loop across two workers: known timings, every request, clocks in agreement', async () => {
    const dir = freshDir();
    const started = await workers(2, dir);
    try {
      const open = await spreadBench(dir, 2, '--profile rate --rate 100 --duration 3s --json');
      expect(open.code, open.stderr).toBe(0);
      const summary = JSON.parse(open.stdout) as BenchJson;
      expect(summary.status).toBe('completed');
      const spread = summary.scaleOut;
      if (spread === undefined) throw new Error('no scale-out section');
      expect(spread.partial).toBe(false);
      expect(new Set(spread.workers.map((w) => w.worker)).size).toBe(2);
      for (const worker of spread.workers) {
        // Both processes read this machine's one monotonic clock: the true offset is 0, inside the measured bound.
        expect(Math.abs(worker.clock.offsetMs)).toBeLessThanOrEqual(worker.clock.uncertaintyMs + 0.001);
        expect(worker.clock.uncertaintyMs).toBeLessThan(5);
        expect(worker.rate.targetPerS).toBe(50);
        expect(worker.rate.achievedPerS).toBeGreaterThan(30);
        expect(worker.requests.errored).toBe(0);
        expect(worker.lost).toBeNull();
        expect(worker.scheduleLagMs?.p50).toBeLessThan(5);
      }
      // The merged run is the sum of the workers' shares.
      expect(summary.requests.completed).toBe(spread.workers.reduce((sum, w) => sum + w.requests.completed, 0));
      expect(summary.requests.completed).toBeGreaterThan(200);
      expect(summary.rate.targetPerS).toBe(100);
      // The simulator's known timing: first token after 20 ms, then 7 more 2 ms apart.
      expect(summary.latencyMs.ttft?.p50).toBeGreaterThanOrEqual(20);
      expect(summary.latencyMs.ttft?.p50).toBeLessThan(25);
      expect(summary.latencyMs.tpot?.p50).toBeGreaterThanOrEqual(1.9);
      expect(summary.latencyMs.tpot?.p50).toBeLessThan(3);
      expect(summary.tokens.output).toBe(8 * summary.requests.completed);

      const closed = await spreadBench(dir, 2, '--profile concurrency --concurrency 4 --requests 120 --json');
      expect(closed.code, closed.stderr).toBe(0);
      const counted = JSON.parse(closed.stdout) as BenchJson;
      expect(counted.requests.completed).toBe(120);
      expect(counted.scaleOut?.workers.map((w) => w.requests.completed)).toEqual([60, 60]);
      // The same load from two threads of one process gives the same counts and the same timings.
      const local = await runCli(
        [
          'bench',
          ...target(),
          '--profile',
          'concurrency',
          '--concurrency',
          '4',
          '--requests',
          '120',
          '--workers',
          '2',
          '--json',
        ],
        { cwd: dir },
      );
      expect(local.code, local.stderr).toBe(0);
      const here = JSON.parse(local.stdout) as BenchJson;
      expect(here.requests).toEqual(counted.requests);
      expect(here.tokens.output).toBe(counted.tokens.output);
      expect(here.scaleOut).toBeUndefined();
      for (const metric of ['ttft', 'tpot'] as const)
        expect(Math.abs((here.latencyMs[metric]?.p50 ?? 0) - (counted.latencyMs[metric]?.p50 ?? 99))).toBeLessThan(2);
      const shown = await runCli(['runs', 'show', counted.runId], { cwd: dir });
      expect(shown.stdout).toContain('spread over 2 workers through redis://127.0.0.1');
    } finally {
      await Promise.all(started.map((w) => stopped(w.child, 'SIGINT')));
    }
  }, 90_000);

  it.each([
    ['killed', 'SIGKILL', /no word from .* for 5 s; its share after \d+\.\d s into step/],
    ['stopped', 'SIGINT', /failed: the worker was stopped/],
  ] as const)(
    'reports a worker %s mid-run as lost and the run as partial, keeping what it measured',
    async (_, signal, reason) => {
      const dir = freshDir();
      const [first, second] = await workers(2, dir);
      if (first === undefined || second === undefined) throw new Error('workers did not start');
      try {
        const running = spreadBench(dir, 2, '--profile rate --rate 40 --duration 9s --json');
        // Two seconds into the load, the first worker dies without a word (or is told to stop).
        for (let i = 0; i < 200 && !first.log().includes('serving shard'); i += 1)
          await new Promise((resolve) => setTimeout(resolve, 50));
        await new Promise((resolve) => setTimeout(resolve, 2500));
        await stopped(first.child, signal);
        const result = await running;
        expect(result.code, result.stderr).toBe(4);
        const summary = JSON.parse(result.stdout) as BenchJson;
        expect(summary.status).toBe('partial');
        expect(summary.scaleOut?.partial).toBe(true);
        const lost = summary.scaleOut?.workers.find((w) => pidOf(w.worker) === first.child.pid);
        const kept = summary.scaleOut?.workers.find((w) => pidOf(w.worker) === second.child.pid);
        expect(lost?.lost).toMatch(reason);
        expect(kept?.lost).toBeNull();
        // The survivor sent its whole share (20/s for 9 s); the lost one what it had measured before it fell silent.
        expect(kept?.requests.completed).toBeGreaterThan(130);
        expect(lost?.requests.completed).toBeLessThan((kept?.requests.completed ?? 0) * 0.6);
        const shown = await runCli(['runs', 'show', summary.runId], { cwd: dir });
        expect(shown.stdout).toContain('PARTIAL: a worker was lost');
        const report = await runCli(['report', summary.runId, '-o', 'out'], { cwd: dir });
        expect(report.code, report.stderr).toBe(0);
        const html = readFileSync(join(dir, 'out', 'report.html'), 'utf8');
        expect(html).toContain('spread over 2 workers through redis://127.0.0.1');
        expect(html).toContain(`shard ${lost?.shard ?? '?'} lost: `);
      } finally {
        await stopped(second.child, 'SIGINT');
        await stopped(first.child, 'SIGKILL');
      }
    },
    90_000,
  );

  it("says at once, exit 4, when the queue's Redis cannot be reached, never showing its password", async () => {
    const closed = `redis://:s3cret@127.0.0.1:${await freePort()}`;
    const dir = freshDir();
    writeFileSync(
      join(dir, 'suite.yaml'),
      'name: s\ncases: [{ id: a, q: x, expected: x }]\nprompt: { text: "{{q}}" }\ntargets: [{ kind: openai-chat, baseUrl: http://127.0.0.1:9/v1, model: m }]\nscorers: [{ type: equals }]\n',
    );
    for (const args of [
      ['worker', '--queue', closed],
      ['bench', ...target(), '--requests', '4', '--queue', closed, '--workers', '2'],
      ['eval', 'suite.yaml', '--queue', closed],
    ]) {
      const result = await runCli(args, { cwd: dir });
      expect(result.code, result.stderr).toBe(4);
      expect(result.stderr).toContain(
        "error[QUEUE_UNAVAILABLE]: cannot reach the queue's Redis at redis://:***@127.0.0.1:",
      );
      expect(result.stderr).toContain('ECONNREFUSED');
      expect(result.stderr + result.stdout).not.toContain('s3cret');
    }
  });

  it.each([
    [['--max-clock-error', '2'], '--max-clock-error applies to a load spread over workers'],
    [['--queue', 'redis://127.0.0.1:1', '--repeats', '3'], '--repeats runs on this machine, not on workers'],
    [
      ['--queue', 'redis://127.0.0.1:1', '--worker-wait', '0.5s'],
      "--worker-wait '0.5s' is not a duration of 1s or more",
    ],
    [['--queue', 'redis://127.0.0.1:1', '--max-clock-error', '-1'], "--max-clock-error '-1' is not valid"],
    [['--queue', 'http://127.0.0.1:1'], "--queue 'http://127.0.0.1:1' is not a Redis URL"],
  ])('refuses bad scale-out flags with exit 2: %j', async (flags, message) => {
    const result = await runCli(['bench', ...target(), '--requests', '1', ...flags]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`error[FLAG_INVALID]: ${message}`);
  });

  it('refuses a worker lock shorter than a second with exit 2', async () => {
    const result = await runCli(['worker', '--queue', redis.url, '--lock-duration', '500ms']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("error[FLAG_INVALID]: --lock-duration '500ms' is not a duration of 1s or more");
  });
});
