import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EvalJson } from '../src/eval/eval-summary.js';
import type { TradeoffJson } from '../src/tradeoff/tradeoff.js';
import { dominators } from '../src/tradeoff/pareto.js';
import { freshDir, runCli } from './helpers/cli.js';
import { useScriptedServers, type ScriptedRequest } from './helpers/scripted-server.js';

const serve = useScriptedServers();
const CASES = 40;

/** Answers the label in the prompt, except (when `wrongFrom` is set) on cases numbered from it on. */
function model(delayMs: number, wrongFrom: number | null) {
  return (r: ScriptedRequest) => {
    const n = Number(/case (\d+)/.exec(r.prompt)?.[1] ?? 0);
    const label = n % 2 === 0 ? 'even' : 'odd';
    const wrong = wrongFrom !== null && n >= wrongFrom;
    return { text: wrong ? (label === 'even' ? 'odd' : 'even') : label, delayMs };
  };
}

describe('yardstick tradeoff', () => {
  it('names the Pareto frontier and what dominates the rest, recommends under constraints and flags overlapping intervals', async () => {
    const dir = freshDir();
    // The gaps in latency are wide: a client's first requests also pay for its connections and warm-up, so a
    // narrow gap would let a loaded machine rank them the other way.
    const accurate = await serve(model(20, null));
    const cheap = await serve(model(2, 30));
    const poor = await serve(model(120, 30));
    writeFileSync(
      join(dir, 'cases.csv'),
      `id,n,expected\n${Array.from({ length: CASES }, (_, i) => `c${i},${i},${i % 2 === 0 ? 'even' : 'odd'}`).join('\n')}\n`,
    );
    const target = (name: string, url: string, price: number) =>
      `  - { kind: openai-chat, name: ${name}, baseUrl: ${url}, model: m, stream: false, pricing: { inputPerMTokens: ${price}, outputPerMTokens: ${price} } }`;
    writeFileSync(
      join(dir, 'suite.yaml'),
      [
        'name: parity',
        'dataset: cases.csv',
        'prompt:',
        '  text: "Is case {{n}} even or odd?"',
        'targets:',
        target('poor', poor.baseUrl, 10),
        target('accurate', accurate.baseUrl, 10),
        target('cheap', cheap.baseUrl, 1),
        'scorers:',
        '  - type: choice',
        '    choices: [even, odd]',
        'run: { concurrency: 2 }',
        '',
      ].join('\n'),
    );
    const evals = JSON.parse(
      (await runCli(['eval', join(dir, 'suite.yaml'), '--json'], { cwd: dir })).stdout,
    ) as EvalJson[];
    const ids = evals.map((e) => e.runId);
    const loose = JSON.parse(
      (await runCli(['tradeoff', ...ids, '--min-accuracy', '0.7', '--json'], { cwd: dir })).stdout,
    ) as TradeoffJson;
    const byName = new Map(loose.candidates.map((c) => [c.target, c]));
    expect(loose.metric).toBe('accuracy');
    expect(loose.dimensions).toEqual(['accuracy', 'p95 latency', 'cost per 1,000 requests']);
    expect(byName.get('accurate')).toMatchObject({ pareto: true, accuracy: { value: 1 } });
    expect(byName.get('cheap')).toMatchObject({ pareto: true, accuracy: { value: 0.75 } });
    expect(byName.get('poor')?.pareto).toBe(false);
    // Cost per right answer: the run's total over its passing answers.
    for (const e of evals)
      expect(byName.get(e.target.name)?.costPerCorrect).toBeCloseTo(
        (e.cost.total ?? 0) / Math.round((e.metrics.accuracy?.value ?? 0) * CASES),
        12,
      );
    expect(byName.get('poor')?.dominatedBy.sort()).toEqual(['accurate', 'cheap']);
    expect(loose.recommendation).toMatchObject({ target: 'cheap', overlapsWith: ['poor'] });
    // Without constraints accuracy comes first; and even when speed or cost is preferred, a target whose interval lies
    // wholly below another's (cheap: 30 of 40 right, [0.60, 0.86]; accurate: 40 of 40, [0.91, 1]) is not chosen.
    const open = JSON.parse((await runCli(['tradeoff', ...ids, '--json'], { cwd: dir })).stdout) as TradeoffJson;
    expect(open.recommendation?.target).toBe('accurate');
    expect(open.recommendation?.reason).toContain('no constraints given, so accuracy comes first');
    const fastest = JSON.parse(
      (await runCli(['tradeoff', ...ids, '--prefer', 'latency', '--json'], { cwd: dir })).stdout,
    ) as TradeoffJson;
    expect(fastest.recommendation?.target).toBe('accurate');
    expect(fastest.notes.join(' ')).toContain(
      "not recommended whatever their cost or speed: poor, cheap (accuracy interval wholly below another's)",
    );
    const strict = JSON.parse(
      (await runCli(['tradeoff', ...ids, '--min-accuracy', '90%', '--json'], { cwd: dir })).stdout,
    ) as TradeoffJson;
    expect(strict.recommendation?.target).toBe('accurate');
    const none = await runCli(['tradeoff', ...ids, '--min-accuracy', '0.9', '--max-p95', '10ms'], { cwd: dir });
    expect(none.stdout).toContain('no target meets every constraint');
    const unknownMetric = await runCli(['tradeoff', ...ids, '--metric', 'f2'], { cwd: dir });
    expect(unknownMetric.code).toBe(2);
    expect(unknownMetric.stderr).toContain('error[METRIC_UNKNOWN]: run');
    writeFileSync(
      join(dir, 'cases.csv'),
      `id,n,expected\n${Array.from({ length: 10 }, (_, i) => `c${i},${i},${i % 2 === 0 ? 'even' : 'odd'}`).join('\n')}\n`,
    );
    const fewer = JSON.parse(
      (await runCli(['eval', join(dir, 'suite.yaml'), '--target', 'cheap', '--json'], { cwd: dir })).stdout,
    ) as EvalJson;
    const differ = await runCli(['tradeoff', ids[0] ?? '', fewer.runId], { cwd: dir });
    expect(differ.code).toBe(2);
    expect(differ.stderr).toContain('error[CASES_DIFFER]');
    // Traffic of the accurate target (40 of 40 right, Wilson lower bound 0.9124) that the cheap one (30 of 40, lower
    // bound 0.5983) can take with the mix's lower bound at 0.85 or more: (0.9124 − 0.85) / (0.9124 − 0.5983) = 19.9%.
    const shifted = JSON.parse(
      (await runCli(['tradeoff', ...ids, '--serving', 'accurate', '--min-accuracy', '0.85', '--json'], { cwd: dir }))
        .stdout,
    ) as TradeoffJson;
    expect(shifted.trafficShares).toHaveLength(1);
    const share = shifted.trafficShares?.[0];
    expect(share).toMatchObject({ from: 'accurate', to: 'cheap', share: 0.19 });
    expect(share?.lowerBound).toBeGreaterThanOrEqual(0.85);
    expect(share?.savingPer1k).toBeCloseTo(
      0.19 * ((byName.get('accurate')?.costPer1kRequests ?? 0) - (byName.get('cheap')?.costPer1kRequests ?? 0)),
      12,
    );
    const unservable = await runCli(['tradeoff', ...ids, '--serving', 'nobody', '--min-accuracy', '0.85'], {
      cwd: dir,
    });
    expect(unservable.code).toBe(2);
    expect(unservable.stderr).toContain("--serving 'nobody' is not the target of any run given");
    const barless = await runCli(['tradeoff', ...ids, '--serving', 'accurate'], { cwd: dir });
    expect(barless.code).toBe(2);
    expect(barless.stderr).toContain('--serving needs the accuracy bar the traffic must keep');
    const text = await runCli(['tradeoff', ...ids, '--min-accuracy', '0.7'], { cwd: dir });
    expect(text.stdout).toContain('dominated by');
    expect(text.stdout).toContain('cannot tell which is more accurate');
  });

  it('refuses runs that are not evals, or fewer than two', async () => {
    const dir = freshDir();
    const one = await runCli(['tradeoff', 'nope'], { cwd: dir });
    expect(one.code).toBe(2);
    writeFileSync(join(dir, 'a.csv'), 'x\n1\n2\n');
    const drift = JSON.parse(
      (await runCli(['drift', join(dir, 'a.csv'), join(dir, 'a.csv'), '--json'], { cwd: dir })).stdout,
    ) as { runId: string };
    const notEval = await runCli(['tradeoff', drift.runId, drift.runId], { cwd: dir });
    expect(notEval.code).toBe(2);
    expect(notEval.stderr).toContain('error[RUN_KIND]');
  });
});

describe('Pareto dominance', () => {
  it('a point is dominated only by one at least as good everywhere and better somewhere', () => {
    const objectives = [
      { name: 'acc', better: 'higher' as const },
      { name: 'p95', better: 'lower' as const },
    ];
    expect(
      dominators(
        [
          [0.9, 100],
          [0.8, 50],
          [0.8, 100],
          [0.9, 100],
        ],
        objectives,
      ),
    ).toEqual([[], [], [0, 1, 3], []]);
  });
});
