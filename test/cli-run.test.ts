import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EvalJson } from '../src/eval/eval-summary.js';
import type { ProfileJson } from '../src/runs/profile-json.js';
import { freshDir, runCli } from './helpers/cli.js';
import { useScriptedServers } from './helpers/scripted-server.js';

const serve = useScriptedServers();

const IRIS_SUITE = `name: iris
dataset: builtin:iris/test
prompt:
  messages:
    - role: user
      content: "{{input}}"
targets:
  - kind: builtin
    model: iris-forest
scorers:
  - type: choice
    choices: [setosa, versicolor, virginica]
    extract: strict
`;

describe('yardstick run', () => {
  it('runs each suite and load profile against each target and groups the runs in a profile run', async () => {
    const cwd = freshDir();
    writeFileSync(join(cwd, 'iris.yaml'), IRIS_SUITE);
    writeFileSync(
      join(cwd, 'flowers.jsonl'),
      `${JSON.stringify({ prompt: JSON.stringify({ sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 }) })}\n`,
    );
    writeFileSync(
      join(cwd, 'profile.yaml'),
      `name: iris-check
targets:
  - name: forest
    kind: builtin
    model: iris-forest
  - name: forest-again
    kind: builtin
    model: iris-forest
    stream: false
    pricing: { perHour: 3.6 }
evals:
  - suite: iris.yaml
load:
  - name: steady
    targets: [forest]
    load: { profile: concurrency, concurrency: 2, requests: 50 }
    input: { kind: file, path: flowers.jsonl }
`,
    );
    const result = await runCli(['run', 'profile.yaml', '--json'], { cwd });
    expect(result.code, result.stderr).toBe(0);
    const profile = JSON.parse(result.stdout) as ProfileJson;
    expect(profile.runs.map((r) => `${r.kind}:${r.target}`)).toEqual([
      'eval:forest',
      'eval:forest-again',
      'bench:forest',
    ]);
    expect(profile.models.map((m) => m.id)).toEqual(['iris-forest']);
    const [a, b] = profile.runs;
    // The same model on the same held-out flowers: the same accuracy, whether streamed or not.
    expect(a?.headline.metric?.value).toBe(b?.headline.metric?.value);
    expect(a?.headline.metric?.n).toBe(31);
    const tradeoff = profile.tradeoffs[0]?.tradeoff;
    expect(tradeoff?.cases).toBe(31);
    const other = tradeoff?.recommendation?.target === 'forest' ? 'forest-again' : 'forest';
    expect(tradeoff?.recommendation?.overlapsWith).toEqual([other]);
    expect(profile.runs[2]?.headline.errorRate).toBe(0);
    // An instance at 3.60 an hour: each answer costs 0.001 ÷ the answers per second the run measured.
    const priced = (
      JSON.parse((await runCli(['runs', 'show', b?.runId ?? '', '--json'], { cwd })).stdout) as { summary: EvalJson }
    ).summary;
    expect(priced.cost.total).toBeCloseTo((0.001 * priced.cases.answered) / priced.throughput.casesPerS, 12);
    expect(priced.cost.perCorrect).toBeCloseTo(
      (priced.cost.total ?? 0) / Math.round((priced.metrics.accuracy?.value ?? 0) * 31),
      12,
    );
    const shown = await runCli(['runs', 'show', profile.runId], { cwd });
    expect(shown.stdout).toContain('profile iris-check');
    expect(shown.stdout).toContain('tradeoff on iris');
  }, 120_000);

  it('records a target that cannot be reached, or fails every request, as a failed run and goes on with the others', async () => {
    const cwd = freshDir();
    const good = await serve((r) => ({ text: /case (\d+)/.exec(r.prompt)?.[1] === '1' ? 'no' : 'yes' }));
    const broken = await serve(() => ({ status: 500 }));
    const down = await serve(() => ({ text: 'yes' }));
    await down.close(); // nothing listens on its port any more
    writeFileSync(
      join(cwd, 'suite.yaml'),
      [
        'name: yes-no',
        'cases:',
        ...[0, 1, 2, 3].map((i) => `  - { id: c${i}, n: ${i}, expected: "yes" }`),
        'prompt:',
        '  text: "case {{n}}"',
        'targets:',
        `  - { kind: openai-chat, baseUrl: ${good.baseUrl}, model: m }`,
        'scorers:',
        '  - type: choice',
        '    choices: ["yes", "no"]',
        'run: { retries: 1, retryBaseDelay: 10ms }',
        '',
      ].join('\n'),
    );
    const target = (name: string, url: string): string =>
      `  - { name: ${name}, kind: openai-chat, baseUrl: ${url}, model: m, stream: false }`;
    writeFileSync(
      join(cwd, 'profile.yaml'),
      [
        'name: three-servers',
        'targets:',
        target('good', good.baseUrl),
        target('broken', broken.baseUrl),
        target('down', down.baseUrl),
        'evals:',
        '  - suite: suite.yaml',
        'load:',
        '  - name: steady',
        '    targets: [down, good]',
        '    load: { profile: concurrency, concurrency: 1, requests: 5 }',
        '    input: { kind: synthetic, inputTokens: 4, outputTokens: 1 }',
        '',
      ].join('\n'),
    );
    const result = await runCli(['run', 'profile.yaml', '--json'], { cwd });
    expect(result.code, result.stderr).toBe(4);
    const profile = JSON.parse(result.stdout) as ProfileJson;
    expect(profile.runs.map((r) => `${r.kind}:${r.target}:${r.status}`)).toEqual([
      'eval:good:completed',
      'eval:broken:failed',
      'eval:down:failed',
      'bench:good:completed',
      'bench:down:failed',
    ]);
    expect(profile.targetsFailed).toBe(3);
    const byKey = new Map(profile.runs.map((r) => [`${r.kind}:${r.target}`, r]));
    expect(byKey.get('eval:good')?.headline.metric?.value).toBe(0.75);
    // Every request to the broken target failed: its run was saved (failed) and is named; the unreachable one has none.
    expect(byKey.get('eval:broken')?.error).toContain('every request');
    expect(byKey.get('eval:broken')?.runId).not.toBeNull();
    expect(byKey.get('eval:down')).toMatchObject({ runId: null, of: 'yes-no' });
    expect(byKey.get('eval:down')?.error).toContain('cannot reach');
    expect(byKey.get('bench:down')?.runId).toBeNull();
    const stored = JSON.parse(
      (await runCli(['runs', 'show', byKey.get('eval:broken')?.runId ?? '', '--json'], { cwd })).stdout,
    ) as { status: string };
    expect(stored.status).toBe('failed');
    const text = await runCli(['runs', 'show', profile.runId], { cwd });
    expect(text.stdout).toContain('3 runs failed because of the target');
    expect(text.stdout).toContain('no run (failed)');
    expect((await runCli(['report', profile.runId, '-o', 'out'], { cwd })).code).toBe(0);
    const html = readFileSync(join(cwd, 'out', 'report.html'), 'utf8');
    expect(html).toContain('failed because of the target');
    expect(html).toContain('cannot reach');
  }, 60_000);

  it('reports every problem of a run config at its line, and exits 2 before running anything', async () => {
    const cwd = freshDir();
    writeFileSync(
      join(cwd, 'bad.yaml'),
      `name: bad
targets:
  - kind: builtin
    model: spam-xl
  - name: a
    kind: openai-chat
    baseUrl: http://127.0.0.1:9/v1
    model: m
  - name: a
    kind: openai-chat
    baseUrl: http://127.0.0.1:9/v1
    model: m
evals:
  - suite: missing.yaml
    targets: [b]
    stratify: label
`,
    );
    const result = await runCli(['run', 'bad.yaml'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error[CONFIG_INVALID]');
    expect(result.stderr).toMatch(/bad\.yaml:4.*spam-nb/);
    expect(result.stderr).toMatch(/bad\.yaml:9.*two targets are called 'a'/);
    expect(result.stderr).toMatch(/bad\.yaml:15.*no target named 'b'/);
    expect(result.stderr).toMatch(/bad\.yaml:16.*'stratify' needs 'sample'/);
    const list = JSON.parse((await runCli(['runs', 'list', '--json'], { cwd })).stdout) as unknown[];
    expect(list).toHaveLength(0);
  });
});
