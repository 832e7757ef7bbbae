import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TuneJson } from '../src/tuning/tune-json.js';
import { freshDir, runCli } from './helpers/cli.js';
import { dirWithPackage, PACKAGE_ROOT } from './helpers/package-dir.js';

/**
 * A model whose answers depend on its settings in a known way. It labels a review by its keyword only when the
 * prompt asks for one word (template B; template A gets 'positive' every time, right on half the cases). A
 * temperature above 0 turns a share of its answers wrong (cases 1–6 at 0.5, 1–12 at 1), and with max_tokens 1 it
 * cannot finish 'negative'. It takes 5 ms plus 2 ms per allowed token. So on every case only template B,
 * temperature 0, max_tokens 8 is right every time, and max_tokens 1 is the fast one.
 */
const MODEL = `import { functionTarget } from 'yardstick/eval';

export function knobs() {
  return functionTarget({
    name: 'knobs',
    model: 'rule',
    answer: async (request) => {
      const temperature = Number(request.extraBody?.temperature ?? 0);
      const maxTokens = request.maxTokens ?? 8;
      await new Promise((resolve) => setTimeout(resolve, 5 + 2 * maxTokens));
      const number = Number(/case (\\d+)/.exec(request.prompt)?.[1] ?? 0);
      const right = /good/.test(request.prompt) ? 'positive' : 'negative';
      let answer = /one word/.test(request.prompt) ? right : 'positive';
      if (number <= 12 * temperature) answer = answer === 'positive' ? 'negative' : 'positive';
      if (answer === 'negative' && maxTokens < 2) answer = 'neg';
      return answer;
    },
  });
}
`;

function suiteText(): string {
  const cases = Array.from({ length: 24 }, (_, i) => {
    const n = i + 1;
    const positive = n % 2 === 0;
    return `  - { id: c${n}, text: "case ${n}: a ${positive ? 'good' : 'bad'} film", expected: ${positive ? 'positive' : 'negative'} }`;
  });
  return [
    'name: reviews',
    'cases:',
    ...cases,
    'prompt:',
    '  text: "Review: {{text}}"',
    '  body: {}',
    'targets:',
    '  - { kind: custom, name: knobs, module: targets/knobs.mjs, export: knobs }',
    'scorers:',
    '  - type: choice',
    '    choices: [positive, negative]',
    'run: { concurrency: 4 }',
    '',
  ].join('\n');
}

function studyDir(): string {
  const dir = dirWithPackage();
  mkdirSync(join(dir, 'targets'));
  writeFileSync(join(dir, 'targets', 'knobs.mjs'), MODEL);
  writeFileSync(join(dir, 'suite.yaml'), suiteText());
  return dir;
}

const TEMPLATE_A = 'Review: {{text}}';
const TEMPLATE_B = 'Review: {{text}}\nAnswer with one word.';

describe('yardstick tune', () => {
  it('successive halving finds the configuration known to be best, keeping every trial as an eval run', async () => {
    const dir = studyDir();
    writeFileSync(
      join(dir, 'tune.yaml'),
      [
        'suite: suite.yaml',
        'space:',
        `  template: [${JSON.stringify(TEMPLATE_A)}, ${JSON.stringify(TEMPLATE_B)}]`,
        '  temperature: [0, 0.5, 1]',
        '  max_tokens: [1, 8]',
        'search: halving',
        'trials: 12',
        'minCases: 8',
        'eta: 2',
        'constraints: { minAccuracy: 0.9 }',
        '',
      ].join('\n'),
    );
    const result = await runCli(['tune', 'tune.yaml', '--json'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    const tune = JSON.parse(result.stdout) as TuneJson;
    expect(tune).toMatchObject({ kind: 'tune', search: 'halving', spaceSize: 12, metric: 'accuracy', cases: 24 });
    expect(tune.rungs).toEqual([
      { cases: 8, configurations: 12 },
      { cases: 16, configurations: 6 },
      { cases: 24, configurations: 3 },
    ]);
    const reached = (rung: number): number =>
      tune.trials.filter((t) => t.evaluations.some((e) => e.rung === rung)).length;
    expect([reached(1), reached(2), reached(3)]).toEqual([12, 6, 3]);
    expect(tune.requests).toBe(12 * 8 + 6 * 16 + 3 * 24);
    expect(tune.recommendation?.configuration).toEqual({ template: TEMPLATE_B, temperature: 0, max_tokens: 8 });
    const best = tune.trials.find((t) => t.name === tune.recommendation?.trial);
    const final = best?.evaluations.at(-1);
    expect(final).toMatchObject({ rung: 3, cases: 24, accuracy: { value: 1 }, paretoRank: 1, errors: 0 });
    expect(tune.front).toContain(best?.name);
    // 5 ms + 2 ms × 8 tokens a request: its p95 is above 21 ms, and above every max_tokens 1 finalist's.
    expect(final?.p95LatencyMs?.value).toBeGreaterThanOrEqual(20);

    // Each evaluation is an eval run of its own, its target named after the trial.
    const shown = await runCli(['runs', 'show', final?.runId ?? '', '--json'], { cwd: dir });
    expect(shown.code, shown.stderr).toBe(0);
    expect(JSON.parse(shown.stdout)).toMatchObject({ kind: 'eval', summary: { target: { name: best?.name } } });
    const study = await runCli(['runs', 'show', tune.runId], { cwd: dir });
    expect(study.stdout).toContain('successive halving: 12 on 8 cases → 6 on 16 cases → 3 on 24 cases');
    expect(study.stdout).toContain(`recommended: ${best?.name ?? ''} — template=`);
    const report = await runCli(['report', tune.runId, '-o', 'out'], { cwd: dir });
    expect(report.code, report.stderr).toBe(0);
    expect(readFileSync(join(dir, 'out', 'report.html'), 'utf8')).toContain('data-chart="tune-tradeoff"');
  }, 120_000);

  it('a grid from flags alone: every configuration on every case, and exit 3 when none meets the constraints', async () => {
    const dir = studyDir();
    const grid = await runCli(
      ['tune', '--suite', 'suite.yaml', '--param', 'temperature=0,1', '--param', 'max_tokens=1,8', '--json'],
      { cwd: dir },
    );
    expect(grid.code, grid.stderr).toBe(0);
    const tune = JSON.parse(grid.stdout) as TuneJson;
    expect(tune.trials.map((t) => t.configuration)).toEqual([
      { temperature: 0, max_tokens: 1 },
      { temperature: 0, max_tokens: 8 },
      { temperature: 1, max_tokens: 1 },
      { temperature: 1, max_tokens: 8 },
    ]);
    // Template A answers 'positive': half right. At temperature 1 cases 1–12 flip to 'negative' (right on their odd
    // half), which max_tokens 1 cuts to 'neg': right only on the even cases 14–24.
    const accuracy = tune.trials.map((t) => t.evaluations[0]?.accuracy.value);
    expect(accuracy).toEqual([0.5, 0.5, 0.25, 0.5]);
    const none = await runCli(
      ['tune', '--suite', 'suite.yaml', '--param', 'temperature=0,1', '--min-accuracy', '0.9'],
      { cwd: dir },
    );
    expect(none.code).toBe(3);
    expect(none.stdout).toContain('recommendation: none');
  }, 120_000);

  it('refuses a space the suite cannot take before sending anything, with exit 2', async () => {
    const dir = studyDir();
    const target = await runCli(['tune', '--suite', 'suite.yaml', '--param', 'target=knobs,huge'], { cwd: dir });
    expect(target.code).toBe(2);
    expect(target.stderr).toContain("trial 2 (target=huge): target 'huge' is not one of the suite's targets");
    const value = await runCli(['tune', '--suite', 'suite.yaml', '--param', 'max_tokens=8,-1'], { cwd: dir });
    expect(value.code).toBe(2);
    expect(value.stderr).toContain('trial 2 (max_tokens=-1)');
    writeFileSync(join(dir, 'bad.yaml'), 'suite: suite.yaml\nspace: { temperature: [] }\nsearch: annealing\n');
    const bad = await runCli(['tune', 'bad.yaml'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('bad.yaml:2');
    expect(bad.stderr).toContain('bad.yaml:3');
    const runs = await runCli(['runs', 'list', '--json'], { cwd: dir });
    expect(JSON.parse(runs.stdout)).toEqual([]);
  }, 60_000);

  it("tunes a reference model's hyperparameters: each value trains and serves a model of its own", async () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'iris.yaml'), readFileSync(join(PACKAGE_ROOT, 'examples', 'demo', 'iris.yaml'), 'utf8'));
    const result = await runCli(['tune', '--suite', 'iris.yaml', '--param', 'hyperparameters.trees=1,30', '--json'], {
      cwd: dir,
    });
    expect(result.code, result.stderr).toBe(0);
    const tune = JSON.parse(result.stdout) as TuneJson;
    const models: unknown[] = [];
    for (const trial of tune.trials) {
      const shown = await runCli(['runs', 'show', trial.evaluations[0]?.runId ?? '', '--json'], { cwd: dir });
      models.push((JSON.parse(shown.stdout) as { summary: { target: { model: string } } }).summary.target.model);
    }
    expect(models).toEqual(['iris-forest(trees=1)', 'iris-forest(trees=30)']);
    // Thirty trees classify the held-out flowers at least as well as one.
    const [one, thirty] = tune.trials.map((t) => t.evaluations[0]?.accuracy.value ?? 0);
    expect(thirty).toBeGreaterThanOrEqual(one ?? 0);
    expect(thirty).toBeGreaterThan(0.85);
    const wrong = await runCli(['tune', '--suite', 'iris.yaml', '--param', 'hyperparameters.k=1,3'], { cwd: dir });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain("iris-forest does not take 'k'; its hyperparameters: trees");
  }, 120_000);
});
