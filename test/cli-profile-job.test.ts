import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JobProfileJson } from '../src/jobs/job-profile-json.js';
import { freshDir, runCli } from './helpers/cli.js';

/**
 * A job whose shape is known: a child process burns 1.2 s of CPU (however long a busy machine takes to give it that)
 * while the parent prints 12 progress lines 100 ms apart (loss falling), then the job sleeps 1 s doing nothing and
 * exits with the code it was given.
 */
const JOB = `
const { spawn } = require('node:child_process');
const burner = spawn(process.execPath, ['-e', 'const t = process.cpuUsage(); while (process.cpuUsage(t).user < 1.2e6) {}']);
let step = 0;
const timer = setInterval(() => {
  step += 1;
  console.log('step ' + step + ' samples ' + step * 32 + ' loss ' + (2 / step).toFixed(4));
  if (step === 12) {
    clearInterval(timer);
    burner.on('exit', () => setTimeout(() => { console.error('done'); process.exit(Number(process.argv[2] ?? 0)); }, 1000));
  }
}, 100);
`;

function writeJob(dir: string): string {
  const path = join(dir, 'job.cjs');
  writeFileSync(path, JOB);
  return path;
}

describe('yardstick profile -- CMD', () => {
  it("records the process tree's CPU, the progress the job prints, and where it idled", async () => {
    const dir = freshDir();
    const job = writeJob(dir);
    const result = await runCli(
      [
        'profile',
        '--progress',
        'step (?<step>\\d+) samples (?<samples>\\d+) loss (?<loss>[\\d.]+)',
        '--interval',
        '100ms',
        '--json',
        '--',
        process.execPath,
        job,
      ],
      { cwd: dir },
    );
    expect(result.code, result.stderr).toBe(0);
    const profile = JSON.parse(result.stdout) as JobProfileJson;
    expect(profile).toMatchObject({ kind: 'job-profile', exitCode: 0, signal: null, command: [process.execPath, job] });
    expect(result.stderr).toContain('step 12 samples 384 loss 0.1667');
    expect(profile.wallS).toBeGreaterThan(2.2);
    // The burner child is part of the tree: about 1.2 CPU seconds, one core busy at its peak.
    expect(profile.processesMax).toBeGreaterThanOrEqual(2);
    expect(profile.cpuS).toBeGreaterThan(1.0);
    expect(profile.cpuPercent.max).toBeGreaterThan(70);
    // The last second did nothing: an idle stretch at the end.
    const last = profile.idle.at(-1);
    expect(last?.toS).toBeGreaterThan(profile.wallS - 0.4);
    expect((last?.toS ?? 0) - (last?.fromS ?? 0)).toBeGreaterThan(0.5);
    const series = Object.fromEntries((profile.progress?.series ?? []).map((s) => [s.name, s]));
    expect(profile.progress?.lines).toBe(12);
    expect(series.step).toMatchObject({ first: 1, last: 12 });
    // 11 steps over 1.1 s: 10 steps and 320 samples a second, give or take the timers.
    expect(series.step?.perS).toBeGreaterThan(8);
    expect(series.step?.perS).toBeLessThan(11);
    expect(series.samples?.perS).toBeGreaterThan(8 * 32);
    expect(series.loss).toMatchObject({ first: 2, last: 0.1667, min: 0.1667 });
    expect(profile.stderrTail).toEqual(['done']);
    expect('notMeasured' in profile.gpu).toBe(true);

    const shown = await runCli(['runs', 'show', profile.runId], { cwd: dir });
    expect(shown.stdout).toContain('exited 0');
    expect(shown.stdout).toContain('  step: 1 → 12');
    const report = await runCli(['report', profile.runId, '-o', 'out'], { cwd: dir });
    expect(report.code, report.stderr).toBe(0);
    const html = readFileSync(join(dir, 'out', 'report.html'), 'utf8');
    expect(html).toContain('data-chart="job-utilization"');
    expect(html).toContain('data-chart="job-progress-loss"');
  }, 30_000);

  it('exits 3 when the job fails, keeping its exit code and the end of its output; 2 when it cannot start', async () => {
    const dir = freshDir();
    const failed = await runCli(['profile', '--quiet', '--json', '--', process.execPath, writeJob(dir), '7'], {
      cwd: dir,
    });
    expect(failed.code).toBe(3);
    const profile = JSON.parse(failed.stdout) as JobProfileJson;
    expect(profile.exitCode).toBe(7);
    expect(profile.progress).toBeNull();
    expect(profile.stdoutTail.at(-1)).toBe('step 12 samples 384 loss 0.1667');
    expect(failed.stderr).not.toContain('step 1 ');
    const missing = await runCli(['profile', '--', join(dir, 'no-such-program')], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('error[COMMAND_UNAVAILABLE]');
    const badPattern = await runCli(['profile', '--progress', 'step (\\d+)', '--', 'true'], { cwd: dir });
    expect(badPattern.code).toBe(2);
    expect(badPattern.stderr).toContain('names no group');
  }, 30_000);

  it('takes its settings from a config, with flags over them; refuses a bad interval or config with exit 2', async () => {
    const dir = freshDir();
    writeFileSync(
      join(dir, 'job.yaml'),
      [
        'command: [sh, -c, \'for i in 1 2 3; do echo "step $i of $TOTAL"; sleep 0.1; done\']',
        'env: { TOTAL: "3" }',
        "progress: 'step (?<step>\\d+)'",
        'interval: 100ms',
        '',
      ].join('\n'),
    );
    const result = await runCli(['profile', '--config', 'job.yaml', '--quiet', '--json'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    const profile = JSON.parse(result.stdout) as JobProfileJson;
    expect(profile.sampleIntervalMs).toBe(100);
    expect(profile.stdoutTail).toEqual(['step 1 of 3', 'step 2 of 3', 'step 3 of 3']);
    expect(profile.progress?.series[0]).toMatchObject({ name: 'step', first: 1, last: 3 });
    const overridden = await runCli(['profile', '--config', 'job.yaml', '--env', 'TOTAL=9', '--quiet', '--json'], {
      cwd: dir,
    });
    expect((JSON.parse(overridden.stdout) as JobProfileJson).stdoutTail[0]).toBe('step 1 of 9');
    const fast = await runCli(['profile', '--interval', '10ms', '--', 'true'], { cwd: dir });
    expect(fast.code).toBe(2);
    expect(fast.stderr).toContain("--interval '10ms' is not a duration of 50 ms or more");
    writeFileSync(join(dir, 'bad.yaml'), 'command: []\ninterval: soon\n');
    const bad = await runCli(['profile', '--config', 'bad.yaml'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('bad.yaml:1');
    expect(bad.stderr).toContain('bad.yaml:2');
    const none = await runCli(['profile'], { cwd: dir });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('error[COMMAND_MISSING]');
  }, 30_000);
});
