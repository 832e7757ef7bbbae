import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenchJson } from '../src/efficiency/bench-json.js';
import { startSimulator, type RunningSimulator } from '../src/simulator/server.js';
import { freshDir, runCli } from './helpers/cli.js';

let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator({ ttftMs: 5, itlMs: 1 });
});

afterAll(async () => {
  await sim.close();
});

const target = (): string[] => ['--url', `${sim.url}/v1`, '--model', 'sim'];

describe('yardstick bench --trace', () => {
  it('replays a BurstGPT trace at a time scale and says what it replayed, in JSON, on the console and in the report', async () => {
    const dir = freshDir();
    const trace = join(dir, 'burst.csv');
    const rows = Array.from(
      { length: 20 },
      (_, i) => `${i},ChatGPT,${10 + i},${1 + (i % 4)},${11 + i},Conversation log`,
    );
    writeFileSync(trace, `Timestamp,Model,Request tokens,Response tokens,Total tokens,Log Type\n${rows.join('\n')}\n`);
    // 19 s of trace at a time scale of 0.05: about a second.
    const result = await runCli(['bench', ...target(), '--trace', trace, '--time-scale', '0.05', '--json'], {
      cwd: dir,
    });
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout) as BenchJson;
    expect(summary.profile).toMatchObject({ profile: 'trace', trace, timeScale: 0.05 });
    expect(summary.trace).toMatchObject({ format: 'burstgpt', requests: 20, spanS: 19, timeScale: 0.05 });
    expect(summary.trace?.meanRatePerS).toBeCloseTo(20 / (19 * 0.05), 6);
    expect(summary.requests).toMatchObject({ completed: 20, errored: 0 });
    // The simulator answers max_tokens tokens: the trace's response lengths.
    expect(summary.tokens.output).toBe(rows.reduce((sum, _, i) => sum + 1 + (i % 4), 0));
    expect(summary.rate?.targetPerS).toBeCloseTo(summary.trace?.meanRatePerS ?? 0, 3);
    expect(summary.latencyMs.scheduleLag?.p50).toBeLessThan(5);

    const shown = await runCli(['runs', 'show', summary.runId], { cwd: dir });
    expect(shown.stdout).toContain(
      `trace: 20 requests of a burstgpt trace (${trace}) spanning 19.0 s, replayed with its times ×0.05`,
    );
    const report = await runCli(['report', summary.runId, '-o', 'out'], { cwd: dir });
    expect(report.code, report.stderr).toBe(0);
    expect(readFileSync(join(dir, 'out', 'report.html'), 'utf8')).toContain('<strong>trace:</strong> 20 requests');
  }, 60_000);

  it('refuses an unusable trace before sending anything: exit 2 with file:line and field', async () => {
    const dir = freshDir();
    const trace = join(dir, 'bad.jsonl');
    writeFileSync(
      trace,
      `${JSON.stringify({ timestamp: 0, input_length: 8, output_length: 2 })}\n${JSON.stringify({ timestamp: 5, input_length: 0, output_length: 2 })}\n`,
    );
    const result = await runCli(['bench', ...target(), '--trace', trace], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error[TRACE_INVALID]');
    expect(result.stderr).toContain(`${trace}:2`);
    expect(result.stderr).toContain('input_length');
    const missing = await runCli(['bench', ...target(), '--trace', join(dir, 'none.jsonl')], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('error[DATA_UNREADABLE]');
  }, 30_000);
});

describe('yardstick bench --dataset', () => {
  const conversations = Array.from({ length: 6 }, (_, i) => ({
    id: String(i),
    conversations: [
      { from: 'human', value: `question ${i} about the weather` },
      { from: 'gpt', value: 'it is sunny today' },
      { from: 'human', value: 'and tomorrow' },
      { from: 'gpt', value: 'rain' },
      { from: 'human', value: 'thanks' },
      { from: 'gpt', value: 'you are welcome here' },
    ],
  }));

  it('sends ShareGPT conversations whole, as sessions on two load threads, with latency by turn in JSON and on the console', async () => {
    const dir = freshDir();
    const path = join(dir, 'sharegpt.json');
    writeFileSync(path, JSON.stringify([...conversations, { id: 'x', conversations: [] }]));
    const args = [...target(), '--dataset', path, '--conversations', 'whole', '--concurrency', '4', '--requests', '8'];
    const result = await runCli(['bench', ...args, '--workers', '2', '--think-time', '10ms', '--json'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout) as BenchJson;
    expect(summary.dataset).toMatchObject({
      format: 'sharegpt',
      conversations: 'whole',
      records: 7,
      used: 6,
      skipped: 1,
      turns: { mean: 3, max: 3 },
    });
    expect(summary.sessions).toMatchObject({ started: 8, completed: 8, broken: 0, cut: 0 });
    expect(summary.requests.completed).toBe(24);
    // Each turn asks for as many tokens as its recorded answer had (cl100k_base: 4, 1 and 4).
    expect(summary.tokens.output).toBe(8 * (4 + 1 + 4));
    const byTurn = summary.sessions?.byTurn ?? [];
    expect(byTurn.map((t) => t.completed)).toEqual([8, 8, 8]);
    expect(byTurn[2]?.meanInputTokens).toBeGreaterThan(byTurn[0]?.meanInputTokens ?? Infinity);

    const shown = await runCli(['runs', 'show', summary.runId], { cwd: dir });
    expect(shown.stdout).toContain(
      `dataset: 6 of 7 records of a sharegpt dataset (${path}) as whole conversations of 3.0 turns`,
    );
    expect(shown.stdout).toContain('8 sessions: 8 completed, 0 broken by a failed turn, 0 cut by the end of the run');
    expect(shown.stdout).toMatch(/turn\s+requests\s+input tokens\s+ttft p50/);
    const report = await runCli(['report', summary.runId, '-o', 'out'], { cwd: dir });
    expect(report.code, report.stderr).toBe(0);
    const html = readFileSync(join(dir, 'out', 'report.html'), 'utf8');
    expect(html).toContain('<strong>dataset:</strong> 6 of 7 records');
    expect(html).toContain('<strong>sessions:</strong> 8 sessions: 8 completed');
    expect(html).toContain('ttft p50 (ms)');
  }, 60_000);

  it('sends the first turn of each record of a prompt column, and names the columns when the one asked for is missing', async () => {
    const dir = freshDir();
    const path = join(dir, 'prompts.jsonl');
    writeFileSync(path, ['a b c', 'd e', 'f'].map((text) => JSON.stringify({ text })).join('\n'));
    const ok = await runCli(
      [
        'bench',
        ...target(),
        '--dataset',
        path,
        '--prompt-column',
        'text',
        '--output-tokens',
        '3',
        '--requests',
        '6',
        '--json',
      ],
      { cwd: dir },
    );
    expect(ok.code, ok.stderr).toBe(0);
    const summary = JSON.parse(ok.stdout) as BenchJson;
    expect(summary.dataset).toMatchObject({ format: 'column', used: 3, conversations: 'first-turn' });
    expect(summary.sessions).toBeUndefined();
    expect(summary.tokens.output).toBe(18);
    const bad = await runCli(['bench', ...target(), '--dataset', path, '--requests', '2'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('error[DATASET_COLUMN_MISSING]');
    expect(bad.stderr).toContain('--prompt-column text');
  }, 30_000);
});

describe('capacity search against a dense sweep', () => {
  it('finds the capacity a dense sweep of constant rates finds, on a server whose capacity is known', async () => {
    // 4 slots, 20 ms to the first token and 7 more tokens 5 ms apart: 55 ms a request, 72.7 requests per second.
    const slotted = await startSimulator({ ttftMs: 20, itlMs: 5, slots: 4 });
    try {
      const common = ['--url', `${slotted.url}/v1`, '--model', 'sim', '--output-tokens', '8', '--fixed-output'];
      const objective = 'p95(ttft) < 100ms';
      const dense: { rate: number; passed: boolean }[] = [];
      for (const rate of [50, 60, 70, 80, 90]) {
        const run = await runCli(
          ['bench', ...common, '--rate', String(rate), '--duration', '2s', '--threshold', objective, '--json'],
          { cwd: freshDir() },
        );
        expect([0, 3]).toContain(run.code);
        dense.push({ rate, passed: run.code === 0 });
      }
      const highestPassing = Math.max(...dense.filter((d) => d.passed).map((d) => d.rate));
      const search = await runCli(
        [
          'bench',
          ...common,
          '--objective',
          objective,
          '--start-rate',
          '25',
          '--step-duration',
          '2s',
          '--duration',
          '2s',
          '--tolerance',
          '0.05',
          '--json',
        ],
        { cwd: freshDir() },
      );
      expect(search.code, search.stderr).toBe(0);
      const found = (JSON.parse(search.stdout) as BenchJson).sloSearch;
      expect(found?.confirmed).toBe(true);
      const capacity = found?.capacityPerS ?? 0;
      // Both within the server's known capacity, and within a sweep step (10/s here) of each other.
      expect(capacity).toBeGreaterThan(0.75 * (4 / 0.055));
      expect(capacity).toBeLessThanOrEqual(1.05 * (4 / 0.055));
      expect(Math.abs(capacity - highestPassing)).toBeLessThanOrEqual(10);
    } finally {
      await slotted.close();
    }
  }, 120_000);
});
