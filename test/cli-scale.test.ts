import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ScaleJson } from '../src/jobs/scale-json.js';
import { startSimulator } from '../src/simulator/server.js';
import { freshDir, runCli } from './helpers/cli.js';

/**
 * Jobs whose scaling is known, built from sleeps so the machine's two cores do not limit them: a serial part of
 * SERIAL seconds, then W worker processes started together, each sleeping its share of the parallel work.
 * Strong scaling, serial 0.5 s and parallel work 2 s: T(n) = 0.5 + 2 / n, serial fraction 0.5 / 2.5 = 0.2.
 */
const STRONG_JOB =
  'sleep 0.5; d=$(awk "BEGIN{print 2.0/$W}"); i=0; while [ $i -lt $W ]; do sleep $d & i=$((i+1)); done; wait';

/**
 * Weak scaling, serial 0.4 s and 0.6 s of work per unit of size: N units on W workers take 0.4 + 0.6 N / W, so n
 * workers at size n take 1 s and one worker at size n 0.4 + 0.6 n; Gustafson's serial fraction is 0.4 / 1.0 = 0.4.
 */
const WEAK_JOB =
  'sleep 0.4; d=$(awk "BEGIN{print 0.6*$N/$W}"); i=0; while [ $i -lt $W ]; do sleep $d & i=$((i+1)); done; wait';

describe('yardstick scale', () => {
  it('strong scaling: recovers the serial fraction of a job whose serial part is known, stored and reported', async () => {
    const dir = freshDir();
    const result = await runCli(
      [
        'scale',
        '--workers',
        '1,2,4',
        '--repeats',
        '2',
        '--interval',
        '100ms',
        '--env',
        'W={{workers}}',
        '--json',
        '--',
        'sh',
        '-c',
        STRONG_JOB,
      ],
      { cwd: dir },
    );
    expect(result.code, result.stderr).toBe(0);
    const scale = JSON.parse(result.stdout) as ScaleJson;
    expect(scale).toMatchObject({ kind: 'scale', source: 'command', workers: [1, 2, 4], repeats: 2, failures: 0 });
    expect(scale.executions).toHaveLength(6);
    const a = scale.analysis;
    expect(a).toMatchObject({ mode: 'strong', law: 'amdahl', baseWorkers: 1 });
    // Starting the shell, awk and each worker adds a little serial time, so the fit sits just above 0.2.
    expect(a.fit?.serialFraction).toBeGreaterThan(0.18);
    expect(a.fit?.serialFraction).toBeLessThan(0.24);
    expect(a.fit?.interval?.[0]).toBeLessThanOrEqual(a.fit?.serialFraction ?? 0);
    const at4 = a.rows.find((r) => r.workers === 4);
    // Amdahl at s = 0.2: 1 / (0.2 + 0.8 / 4) = 2.5.
    expect(at4?.speedup?.value).toBeGreaterThan(2.25);
    expect(at4?.speedup?.value).toBeLessThan(2.6);
    expect(at4?.karpFlatt).toBeGreaterThan(0.17);
    expect(at4?.karpFlatt).toBeLessThan(0.26);
    // Efficiency 1 / (0.2 n + 0.8) first falls below 0.5 past n = 6.
    expect(a.knee.measured).toBeNull();
    expect(a.knee.predicted).toBeGreaterThanOrEqual(5);
    expect(a.knee.predicted).toBeLessThanOrEqual(7);
    expect(a.limitSpeedup).toBeGreaterThan(4);
    expect(a.limitSpeedup).toBeLessThan(5.6);

    // Each execution is a job-profile run of its own, told its worker count.
    const first = await runCli(['runs', 'show', scale.executions[2]?.runId ?? ''], { cwd: dir });
    expect(first.stdout).toContain('exited 0');
    const shown = await runCli(['runs', 'show', scale.runId], { cwd: dir });
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain('strong scaling (Amdahl) over 1, 2, 4 workers');
    expect(shown.stdout).toMatch(/serial fraction s = 0\.\d{3} \[0\.\d{3}, 0\.\d{3}\]/);
    const report = await runCli(['report', scale.runId, '-o', 'out'], { cwd: dir });
    expect(report.code, report.stderr).toBe(0);
    const html = readFileSync(join(dir, 'out', 'report.html'), 'utf8');
    expect(html).toContain('data-chart="scale-speedup"');
    expect(html).toContain('data-chart="scale-efficiency"');
  }, 60_000);

  it('weak scaling from a config: Gustafson’s serial fraction from one worker at each size', async () => {
    const dir = freshDir();
    writeFileSync(
      join(dir, 'scale.yaml'),
      [
        'command: [sh, -c, ' + JSON.stringify(WEAK_JOB) + ']',
        'env:',
        '  W: "{{workers}}"',
        '  N: "{{size}}"',
        'workers: [1, 2, 4]',
        'repeats: 1',
        'weak: true',
        'efficiencyBound: 0.75',
        'interval: 100ms',
        '',
      ].join('\n'),
    );
    const result = await runCli(['scale', '--config', 'scale.yaml', '--json'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    const scale = JSON.parse(result.stdout) as ScaleJson;
    // Points at 1, 2 and 4 workers, and one worker at sizes 2 and 4.
    expect(scale.executions.map((e) => `${e.role}:${e.workers}x${e.size}`)).toEqual([
      'point:1x1',
      'reference:1x2',
      'point:2x2',
      'reference:1x4',
      'point:4x4',
    ]);
    const a = scale.analysis;
    expect(a).toMatchObject({ mode: 'weak', law: 'gustafson' });
    expect(a.fit?.serialFraction).toBeGreaterThan(0.35);
    expect(a.fit?.serialFraction).toBeLessThan(0.47);
    // The time stays about flat as workers and work grow together.
    for (const row of a.rows) expect(row.weakEfficiency).toBeGreaterThan(0.85);
    // Scaled efficiency 1 − s + s / n at s = 0.4 falls below 0.75 past n = 1 / (1 − 0.25 / 0.4) ≈ 2.7.
    expect(a.knee.measured).toBe(4);
    expect(a.knee.predicted).toBe(3);
  }, 60_000);

  it('a failed execution is kept, left out of the fit, and makes the exit code 3', async () => {
    const dir = freshDir();
    const result = await runCli(
      [
        'scale',
        '--workers',
        '1,2,3',
        '--repeats',
        '1',
        '--interval',
        '100ms',
        '--env',
        'W={{workers}}',
        '--',
        'sh',
        '-c',
        '[ "$W" = 3 ] && exit 7; sleep 0.1',
      ],
      { cwd: dir },
    );
    expect(result.code, result.stderr).toBe(3);
    expect(result.stderr).toContain('[3/3] repeat 1, 3 workers: left out: exited with 7');
    expect(result.stdout).toContain('1 execution left out:');
    expect(result.stdout).toContain('3 workers, size 1, repeat 1');
  }, 30_000);

  it('refuses a study it cannot run, with exit 2 and the place of the problem', async () => {
    const dir = freshDir();
    const noCount = await runCli(['scale', '--workers', '1,2', '--', 'sleep', '0'], { cwd: dir });
    expect(noCount.code).toBe(2);
    expect(noCount.stderr).toContain('never told its worker count');
    const weak = await runCli(['scale', '--weak', '--workers', '1,2', '--', 'sleep', '{{workers}}'], { cwd: dir });
    expect(weak.code).toBe(2);
    expect(weak.stderr).toContain('needs {{size}}');
    const rate = await runCli(['scale', '--workers', '1,2', '--throughput', 'samples', '--', 'sleep', '{{workers}}'], {
      cwd: dir,
    });
    expect(rate.code).toBe(2);
    expect(rate.stderr).toContain('there is no progress regex');
    writeFileSync(join(dir, 'bad.yaml'), 'command: [sleep, "{{workers}}"]\nworkers: [1]\nrepeats: 0\n');
    const bad = await runCli(['scale', '--config', 'bad.yaml'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('bad.yaml:2');
    expect(bad.stderr).toContain('bad.yaml:3');
    const env = await runCli(['scale', '--workers', '1,2', '--env', 'WORLD_SIZE', '--', 'sleep', '{{workers}}'], {
      cwd: dir,
    });
    expect(env.code).toBe(2);
    expect(env.stderr).toContain("--env 'WORLD_SIZE' is not NAME=VALUE");
  }, 30_000);

  it('replicas from stored bench runs: servers whose capacity is known scale linearly', async () => {
    // Each slot is one replica's worth of capacity: 20 ms to the first token and 7 more 5 ms apart, 55 ms a
    // request, so 1, 2 and 4 slots serve 18.2, 36.4 and 72.7 requests a second under 8 virtual users.
    const dir = freshDir();
    const runIds: string[] = [];
    for (const slots of [1, 2, 4]) {
      const sim = await startSimulator({ ttftMs: 20, itlMs: 5, slots });
      try {
        const bench = await runCli(
          [
            'bench',
            '--url',
            `${sim.url}/v1`,
            '--model',
            'sim',
            '--output-tokens',
            '8',
            '--fixed-output',
            '--profile',
            'concurrency',
            '--concurrency',
            '8',
            '--duration',
            '2s',
            '--json',
          ],
          { cwd: dir },
        );
        expect(bench.code, bench.stderr).toBe(0);
        runIds.push((JSON.parse(bench.stdout) as { runId: string }).runId);
      } finally {
        await sim.close();
      }
    }
    const result = await runCli(
      ['scale', '--bench-runs', runIds.map((id, i) => `${2 ** i}=${id}`).join(','), '--json'],
      { cwd: dir },
    );
    expect(result.code, result.stderr).toBe(0);
    const scale = JSON.parse(result.stdout) as ScaleJson;
    expect(scale).toMatchObject({ source: 'bench-runs', workers: [1, 2, 4], measure: { by: 'request-rate' } });
    const perS = scale.analysis.rows.map((r) => r.unitsPerS.mean);
    expect(perS[0]).toBeGreaterThan(0.9 * (1 / 0.055));
    expect(scale.analysis.rows[2]?.speedup?.value).toBeGreaterThan(3.7);
    expect(scale.analysis.rows[2]?.speedup?.value).toBeLessThan(4.15);
    expect(scale.analysis.fit?.serialFraction).toBeLessThan(0.03);
    const shown = await runCli(['runs', 'show', scale.runId], { cwd: dir });
    expect(shown.stdout).toContain('over 1, 2, 4 replicas');
    const wrong = await runCli(['scale', '--bench-runs', `1=${scale.runId},2=${runIds[1] ?? ''}`], { cwd: dir });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('is a scale run, not a finished bench');
    const by = await runCli(
      ['scale', '--bench-runs', `1=${runIds[0] ?? ''},2=${runIds[1] ?? ''}`, '--bench-throughput', 'joy'],
      {
        cwd: dir,
      },
    );
    expect(by.code).toBe(2);
    expect(by.stderr).toContain(
      "error[FLAG_INVALID]: --bench-throughput 'joy' is not one of requests, output-tokens, goodput",
    );
    const entry = await runCli(['scale', '--bench-runs', '1=a,two=b'], { cwd: dir });
    expect(entry.code).toBe(2);
    expect(entry.stderr).toContain("--bench-runs entry 'two=b' is not REPLICAS=RUN_ID");
  }, 60_000);
});
