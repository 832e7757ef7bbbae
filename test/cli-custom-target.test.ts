import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { freshDir, runCli } from './helpers/cli.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** A folder whose TypeScript module builds a target with the package's own helper, as a user's would. */
function withTargetModule(): string {
  const dir = freshDir();
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(ROOT, join(dir, 'node_modules', 'yardstick'), 'dir');
  mkdirSync(join(dir, 'targets'));
  writeFileSync(
    join(dir, 'targets', 'keywords.ts'),
    `import { functionTarget, type Target, type TargetRequest } from 'yardstick/eval';

interface Options { positive: string }

export function keywords(options: Options): Target {
  const word = new RegExp(options.positive, 'i');
  return functionTarget({
    name: 'keywords',
    model: 'rule',
    answer: (request: TargetRequest): string => (word.test(request.prompt) ? 'positive' : 'negative'),
  });
}

export const notAFunction = 42;

export function halfATarget(): object {
  return { describe: () => ({ name: 'half' }) };
}
`,
  );
  return dir;
}

const SUITE = `name: reviews
cases:
  - { id: a, text: I loved it, expected: positive }
  - { id: b, text: dull and slow, expected: negative }
  - { id: c, text: loved every minute, expected: positive }
  - { id: d, text: a mess, expected: negative }
prompt:
  text: "Review: {{text}}"
targets:
  - { kind: custom, name: mine, module: targets/keywords.ts, export: keywords, options: { positive: loved } }
scorers:
  - type: choice
    choices: [positive, negative]
`;

describe("a target of the user's own (kind: custom)", () => {
  it('answers an eval from a TypeScript module, its path relative to the suite', async () => {
    const dir = withTargetModule();
    writeFileSync(join(dir, 'suite.yaml'), SUITE);
    const result = await runCli(['eval', 'suite.yaml', '--json'], { cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as { metrics: { accuracy?: { value: number } }; target: object };
    expect(summary.metrics.accuracy?.value).toBe(1);
    expect(summary.target).toMatchObject({ kind: 'custom', name: 'mine', model: 'rule' });
  });

  it('carries a load test on a load thread, which imports the module itself', async () => {
    const dir = withTargetModule();
    writeFileSync(
      join(dir, 'bench.yaml'),
      'target: { kind: custom, module: targets/keywords.ts, export: keywords, options: { positive: x } }\nload: { profile: concurrency, concurrency: 2, requests: 30 }\n',
    );
    const result = await runCli(['bench', '--config', 'bench.yaml', '--json'], { cwd: dir });
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as { requests: { completed: number; errored: number } };
    expect(summary.requests).toMatchObject({ completed: 30, errored: 0 });
  });

  it('refuses an export that is not a function, a module that is not there, or a function that returns no target, with exit 2', async () => {
    const dir = withTargetModule();
    writeFileSync(join(dir, 'suite.yaml'), SUITE.replace('export: keywords', 'export: notAFunction'));
    const notFunction = await runCli(['eval', 'suite.yaml'], { cwd: dir });
    expect(notFunction.code).toBe(2);
    expect(notFunction.stderr).toContain("targets/keywords.ts (export 'notAFunction') is not a function");
    writeFileSync(join(dir, 'suite.yaml'), SUITE.replace('targets/keywords.ts', 'targets/missing.ts'));
    const missing = await runCli(['eval', 'suite.yaml'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot import the target module');
    writeFileSync(join(dir, 'suite.yaml'), SUITE.replace('export: keywords', 'export: halfATarget'));
    const notTarget = await runCli(['eval', 'suite.yaml'], { cwd: dir });
    expect(notTarget.code).toBe(2);
    expect(notTarget.stderr).toMatch(
      /error\[TARGET_MODULE\]: \S*targets\/keywords\.ts \(export 'halfATarget'\) did not return a target/,
    );
    expect(notTarget.stderr).toContain(
      'hint: return an object with describe(), checkReachable(), send(request, context) and close()',
    );
  });
});
