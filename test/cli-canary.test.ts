import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, freshDir, runCli } from './helpers/cli.js';
import { sampleSum } from './helpers/prometheus-text.js';
import { useScriptedServers, type ScriptedRequest, type ScriptedReply } from './helpers/scripted-server.js';

const serve = useScriptedServers();

/** Forty labelled reviews, alternating labels. */
const ROWS = Array.from({ length: 40 }, (_, i) => [
  `c${i}`,
  `review number ${i}`,
  i % 2 === 0 ? 'positive' : 'negative',
]);

function writeSuite(dir: string, baseUrl: string): string {
  writeFileSync(join(dir, 'data.csv'), `id,text,expected\n${ROWS.map((r) => r.join(',')).join('\n')}\n`);
  const path = join(dir, 'suite.yaml');
  writeFileSync(
    path,
    `name: live-sentiment
dataset: data.csv
prompt:
  text: "Review: {{text}}\\nSentiment:"
targets:
  - { kind: openai-chat, name: live, baseUrl: ${baseUrl}, model: m }
scorers:
  - type: choice
    choices: [positive, negative]
run:
  concurrency: 4
  retryBaseDelay: 10ms
`,
  );
  return path;
}

/** Answers every review right, or, once broken, the first twenty wrong. */
let broken = false;
function model(r: ScriptedRequest): ScriptedReply {
  const i = Number(/review number (\d+)/.exec(r.prompt)?.[1] ?? -1);
  const right = i % 2 === 0 ? 'positive' : 'negative';
  const wrong = right === 'positive' ? 'negative' : 'positive';
  return { text: broken && i < 20 ? wrong : right };
}

const hooks: Record<string, unknown>[] = [];
const hook: Server = createServer((req, res) => {
  const pieces: Buffer[] = [];
  req.on('data', (p: Buffer) => pieces.push(p));
  req.on('end', () => {
    hooks.push(JSON.parse(Buffer.concat(pieces).toString()) as Record<string, unknown>);
    res.writeHead(204).end();
  });
});
await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
const hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
afterAll(() => new Promise<void>((r) => hook.close(() => r())));

describe('yardstick canary', () => {
  it('runs once, stores the run, and tells a significant regression from the previous run apart, exit 3 on a failed threshold', async () => {
    broken = false;
    const server = await serve(model);
    const dir = freshDir();
    const suite = writeSuite(dir, server.baseUrl);
    const args = ['canary', suite, '--threshold', 'accuracy >= 0.9', '--webhook', hookUrl];
    const first = await runCli(args, { cwd: dir });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(
      /^canary \S+ live-sentiment → live: passed; accuracy 1\.000 \[[\d.]+, 1\.000\]; first run of this suite and target\n$/,
    );
    // Answers changed on the live target: the same request must reach it again, not the response cache.
    broken = true;
    const second = await runCli(args, { cwd: dir });
    expect(second.code).toBe(3);
    expect(second.stdout).toMatch(
      /: FAILED; accuracy 0\.500 .*failing: accuracy >= 0\.9; vs \S+ on 40 shared cases: .*accuracy -0\.500 \(p /,
    );
    expect(server.requests).toHaveLength(80);
    const runs = JSON.parse((await runCli(['runs', 'list', '--json'], { cwd: dir })).stdout) as { kind: string }[];
    expect(runs.map((r) => r.kind)).toEqual(['eval', 'eval']);
    expect(hooks.at(-2)).toMatchObject({ kind: 'yardstick-canary', passed: true, change: null, regressions: [] });
    const last = hooks.at(-1);
    expect(last).toMatchObject({ kind: 'yardstick-canary', suite: 'live-sentiment', target: 'live', passed: false });
    expect(last?.regressions).toEqual(expect.arrayContaining(['accuracy', 'pass_rate']));
    expect(last?.change).toMatchObject({ sharedCases: 40, flipped: { regressions: 20, fixes: 0 } });
  });

  it('report --trend charts a suite over its canary runs and marks the significant change, not the noise', async () => {
    broken = false;
    const server = await serve(model);
    const dir = freshDir();
    const suite = writeSuite(dir, server.baseUrl);
    const args = ['canary', suite, '--threshold', 'accuracy >= 0.9'];
    expect((await runCli(args, { cwd: dir })).code).toBe(0);
    expect((await runCli(args, { cwd: dir })).code).toBe(0);
    broken = true;
    expect((await runCli(args, { cwd: dir })).code).toBe(3);
    const runs = JSON.parse((await runCli(['runs', 'list', '--json'], { cwd: dir })).stdout) as { id: string }[];
    const [third, second] = runs.map((r) => r.id);
    const report = await runCli(['report', '--trend', 'live-sentiment', '-o', 'trend'], { cwd: dir });
    expect(report.code, report.stderr).toBe(0);
    const html = readFileSync(join(dir, 'trend', 'report.html'), 'utf8');
    expect(html).toContain('3 completed runs against live.');
    expect(html).toContain('data-chart="trend-accuracy"');
    expect(html).toContain('data-chart="trend-pass_rate"');
    // One change beyond chance per metric: the second run to the third (20 of 40 cases flipped), none before.
    const rows = [
      ...html.matchAll(/<tr><td>live<\/td><td>(\w+)<\/td><td>(\S+) → (\S+)<\/td>.*?<td>(\w+)<\/td><\/tr>/g),
    ];
    expect(rows.map((r) => [r[1], r[2], r[3], r[4]])).toEqual(
      expect.arrayContaining([
        ['accuracy', second, third, 'worse'],
        ['pass_rate', second, third, 'worse'],
      ]),
    );
    expect(rows.every((r) => r[2] === second)).toBe(true);
    expect(html).toContain('runs that failed thresholds');
    const none = await runCli(['report', '--trend', 'no-such-suite'], { cwd: dir });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("error[RUN_NOT_FOUND]: no completed eval run of suite 'no-such-suite' in the store");
    const stray = await runCli(['report', third ?? '', '--target', 'live'], { cwd: dir });
    expect(stray.code).toBe(2);
    expect(stray.stderr).toContain('--target goes with --trend');
  });

  it('runs on a cron schedule, exporting each result to Prometheus, until stopped', async () => {
    broken = false;
    const server = await serve(model);
    const dir = freshDir();
    const suite = writeSuite(dir, server.baseUrl);
    const child = spawn(
      process.execPath,
      [CLI, 'canary', suite, '--schedule', '* * * * * *', '--sample', '10', '--listen', '127.0.0.1:0'],
      { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const lines: string[] = [];
    createInterface({ input: child.stdout }).on('line', (line) => lines.push(line));
    try {
      const deadline = Date.now() + 20_000;
      while (lines.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(lines.length, stderr).toBeGreaterThanOrEqual(2);
      expect(lines[0]).toContain('first run of this suite and target');
      expect(lines[1]).toContain('on 10 shared cases: no significant change');
      expect(stderr).toContain("canary on '* * * * * *'");
      const metricsUrl = /metrics at (\S+)/.exec(stderr)?.[1] ?? '';
      const text = await (await fetch(metricsUrl)).text();
      const by = { suite: 'live-sentiment', target: 'live' };
      expect(sampleSum(text, 'yardstick_canary_runs_total', { ...by, result: 'passed' })).toBeGreaterThanOrEqual(2);
      expect(sampleSum(text, 'yardstick_canary_metric', { ...by, metric: 'accuracy', bound: 'value' })).toBe(1);
      expect(sampleSum(text, 'yardstick_canary_thresholds_failing', by)).toBe(0);
      expect(sampleSum(text, 'yardstick_canary_last_run_timestamp_seconds', by)).toBeGreaterThan(
        Date.now() / 1000 - 60,
      );
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    }
  });

  it('refuses a bad schedule, sample or listen address with exit 2 before running anything', async () => {
    const dir = freshDir();
    const bad = await runCli(['canary', 'suite.yaml', '--schedule', 'every tuesday'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("error[FLAG_INVALID]: --schedule 'every tuesday' is not a cron expression");
    const sample = await runCli(['canary', 'suite.yaml', '--sample', '0'], { cwd: dir });
    expect(sample.code).toBe(2);
    expect(sample.stderr).toContain("--sample '0' is not a positive integer");
    const listen = await runCli(['canary', 'suite.yaml', '--listen', 'somewhere'], { cwd: dir });
    expect(listen.code).toBe(2);
    expect(listen.stderr).toContain("error[FLAG_INVALID]: --listen 'somewhere' is not host:port");
  });
});
