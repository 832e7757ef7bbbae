import Database from 'better-sqlite3';
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CompareJson } from '../src/eval/compare.js';
import type { EvalJson } from '../src/eval/eval-summary.js';
import { startSimulator } from '../src/simulator/server.js';
import { freshDir, runCli, stopAfter } from './helpers/cli.js';
import { useScriptedServers, type ScriptedRequest } from './helpers/scripted-server.js';
import { DATA_DIR } from './helpers/fixtures.js';

const serve = useScriptedServers();
const EXAMPLE = join(import.meta.dirname, '../examples/benchmarks');
const DATA = DATA_DIR;
const GOLD: Record<string, string> = {
  'The checkout page returns a 500 error for every customer since this morning.': 'urgent',
  'Could you add a dark mode to the settings page?': 'low',
  'Invoices for March show the wrong VAT rate for customers in Austria.': 'high',
  "Typo on the About page: 'recieve' should be 'receive'.": 'low',
  'Password reset emails arrive about an hour late.': 'high',
  'Our whole team is locked out after the SSO certificate expired.': 'urgent',
  'The export button is slightly misaligned on small screens.': 'low',
  'Search results include items that were deleted last week.': 'high',
};

/** Knows each ticket's priority, or (`alwaysLow`) always prefers "low". */
function ticketModel(alwaysLow: boolean): (r: ScriptedRequest) => { continuationLogprobs: number[] } {
  return (r) => {
    const ticket = /Ticket: (.*)\nPriority[^\n]*$/.exec(r.prompts[0] ?? '')?.[1] ?? '';
    const answer = alwaysLow ? ' low' : ` ${GOLD[ticket] ?? ''}`;
    return { continuationLogprobs: r.continuations.map((c) => (c === answer ? -0.5 : -3)) };
  };
}

describe('benchmark configs', () => {
  it('the bundled simulator answers every request shape yardstick sends: the example benchmark in loglikelihood mode', async () => {
    const dir = freshDir();
    const sim = await startSimulator({ ttftMs: 1, itlMs: 1 });
    try {
      const result = await runCli(
        ['eval', join(EXAMPLE, 'ticket-priority.yaml'), '--url', `${sim.url}/v1`, '--model', 'sim', '--json'],
        { cwd: dir },
      );
      // The simulator's "model" scores tokens by a hash, so its accuracy is arbitrary and the example's threshold may fail (exit 3).
      expect([0, 3], result.stderr).toContain(result.code);
      const summary = JSON.parse(result.stdout) as EvalJson;
      expect(summary.cases).toMatchObject({ answered: 8, errored: 0 });
      expect(summary.benchmark?.tasks[0]).toMatchObject({ task: 'ticket_priority', n: 8 });
    } finally {
      await sim.close();
    }
  });

  it('a custom task from YAML: few-shot prompts, its metrics, thresholds on them, and compare between two runs', async () => {
    const dir = freshDir();
    cpSync(EXAMPLE, join(dir, 'benchmarks'), { recursive: true });
    const config = join(dir, 'benchmarks', 'ticket-priority.yaml');
    const good = await serve(ticketModel(false));
    const passed = await runCli(['eval', config, '--url', good.baseUrl, '--model', 'm', '--json'], { cwd: dir });
    expect(passed.stderr).toBe('');
    expect(passed.code).toBe(0);
    const a = JSON.parse(passed.stdout) as EvalJson;
    expect(a.benchmark?.tasks[0]).toMatchObject({ task: 'ticket_priority', n: 8, fewshot: 3 });
    expect(a.benchmark?.tasks[0]?.metrics.acc?.value).toBe(1);
    expect(a.benchmark?.tasks[0]?.metrics.macro_f1?.value).toBe(1);
    expect(a.thresholds.map((t) => t.pass)).toEqual([true, true]);
    const prompt = good.requests[0]?.prompts[0] ?? '';
    expect(
      prompt.startsWith(
        'Classify each support ticket by priority.\n\nTicket: Payments fail for all cards with a timeout.\nPriority (low, high or urgent): urgent\n\nTicket: Please make',
      ),
    ).toBe(true);

    const bad = await serve(ticketModel(true));
    const failed = await runCli(['eval', config, '--url', bad.baseUrl, '--model', 'm', '--json'], { cwd: dir });
    expect(failed.code).toBe(3);
    const b = JSON.parse(failed.stdout) as EvalJson;
    expect(b.benchmark?.tasks[0]?.metrics.acc?.value).toBe(3 / 8);
    expect(b.thresholds[0]).toMatchObject({ expr: 'ticket_priority.acc >= 0.75', pass: false, value: 3 / 8 });

    const compared = await runCli(['compare', a.runId, b.runId, '--json'], { cwd: dir });
    expect(compared.code).toBe(0);
    const comparison = JSON.parse(compared.stdout) as CompareJson;
    expect(comparison.n).toBe(8);
    expect(comparison.flipped.regressions).toHaveLength(5);
    expect(comparison.metrics.find((m) => m.name === 'pass_rate')).toMatchObject({
      a: 1,
      b: 3 / 8,
      test: 'mcnemar-exact',
    });
  });

  it('reports config mistakes at their line, all at once', async () => {
    const dir = freshDir();
    const path = join(dir, 'broken.yaml');
    writeFileSync(
      path,
      [
        'benchmark:',
        '  tasks: [boolq]',
        '  mode: guess',
        '  fewshot: -1',
        'targets:',
        '  - kind: openai-completions',
        '    baseUrl: http://127.0.0.1:9/v1',
        '    model: m',
        'thresholds: ["boolq.accuracy >= 0.5"]',
        '',
      ].join('\n'),
    );
    const result = await runCli(['eval', path, '--data-dir', DATA], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${path}:3`);
    expect(result.stderr).toContain(`${path}:4`);
    const unknownMetric = await runCli(['eval', path, '--data-dir', DATA, '--mode', 'choice', '--fewshot', '0'], {
      cwd: dir,
    });
    expect(unknownMetric.code).toBe(2);
    expect(unknownMetric.stderr).toContain("unknown metric 'boolq.accuracy'");
    expect(unknownMetric.stderr).toContain('boolq.acc');
  });

  it('benchmark flags with a suite file are refused', async () => {
    const dir = freshDir();
    const result = await runCli(
      [
        'eval',
        join(import.meta.dirname, '../examples/eval/sentiment.yaml'),
        '--mode',
        'choice',
        '--url',
        'http://127.0.0.1:9/v1',
      ],
      { cwd: dir },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--mode, --url apply to benchmarks');
  });

  it('an interrupted benchmark run resumes with only its missing cases', async () => {
    const dir = freshDir();
    const server = await serve((r) => ({
      continuationLogprobs: r.prompts.map((_, i) => (i === 1 ? -1 : -2)),
      delayMs: 5,
    }));
    const stop = stopAfter(() => server.requests.length, 20, 'SIGINT', dir);
    const first = await runCli(
      ['eval', '--benchmark', 'cb', '--url', server.baseUrl, '--model', 'm', '--data-dir', DATA, '--concurrency', '2'],
      stop,
    );
    const runId = stop.run.id;
    expect(first.code).toBe(130);
    const db = new Database(join(dir, 'store.db'), { readonly: true });
    const stored = (db.prepare('SELECT COUNT(*) AS n FROM eval_cases WHERE run_id = ?').get(runId) as { n: number }).n;
    db.close();
    expect(stored).toBeGreaterThan(0);
    expect(stored).toBeLessThan(56);
    const before = server.requests.length;
    const resumed = await runCli(['eval', '--resume', runId, '--json'], { cwd: dir });
    expect(resumed.code).toBe(0);
    const summary = JSON.parse(resumed.stdout) as EvalJson;
    expect(summary.runId).toBe(runId);
    expect(summary.benchmark?.tasks[0]).toMatchObject({ task: 'cb', n: 56, answered: 56 });
    expect(server.requests.length - before).toBe(56 - stored);
  });
});
