import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRecords } from '../src/data/read-records.js';
import type { EvalJson } from '../src/eval/eval-summary.js';
import { freshDir, runCli } from './helpers/cli.js';
import { useScriptedServers } from './helpers/scripted-server.js';
import { DATA_DIR } from './helpers/fixtures.js';

const serve = useScriptedServers();

function target(baseUrl: string, name = 'scripted'): string {
  return `  - kind: openai-chat\n    name: ${name}\n    baseUrl: ${baseUrl}\n    model: m\n    stream: false\n`;
}

describe('yardstick eval: bad input is refused before anything is sent', () => {
  it('names a template variable missing from the data and the first row without it', async () => {
    const server = await serve(() => ({ text: 'x' }));
    const dir = freshDir();
    writeFileSync(
      join(dir, 'qa.jsonl'),
      '{"question":"a?","expected":"a"}\n{"question":"b?","expected":"b"}\n{"questoin":"c?","expected":"c"}\n',
    );
    writeFileSync(
      join(dir, 'suite.yaml'),
      `name: qa\ndataset: qa.jsonl\nprompt:\n  text: "Q: {{question}} Context: {{context}}"\ntargets:\n${target(server.baseUrl)}scorers:\n  - type: equals\n`,
    );
    const result = await runCli(['eval', 'suite.yaml'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `${join(dir, 'qa.jsonl')}:1: context: the prompt uses {{context}}, but this row has no 'context'`,
    );
    expect(result.stderr).toContain(
      `${join(dir, 'qa.jsonl')}:3: question: the prompt uses {{question}}, but this row has no 'question'`,
    );
    expect(server.requests).toHaveLength(0);
  });

  it('reports malformed dataset rows at file:line', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'qa.jsonl'), '{"question":"a?","expected":"a"}\n{"question": "b?", \n[1,2]\n');
    writeFileSync(
      join(dir, 'suite.yaml'),
      `name: qa\ndataset: qa.jsonl\nprompt:\n  text: "{{question}}"\ntargets:\n${target('http://127.0.0.1:9/v1')}scorers:\n  - type: equals\n`,
    );
    const result = await runCli(['eval', 'suite.yaml'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('has 2 malformed lines');
    expect(result.stderr).toContain(`${join(dir, 'qa.jsonl')}:2:`);
    expect(result.stderr).toContain(`${join(dir, 'qa.jsonl')}:3:`);
  });

  it('reports every problem of a suite file at once, each at its line', async () => {
    const dir = freshDir();
    writeFileSync(
      join(dir, 'suite.yaml'),
      [
        'name: broken',
        'cases:',
        '  - { q: "1+1", expected: "2" }',
        'prompt:',
        '  text: "{{q}}"',
        'targets:',
        '  - kind: openai-chatt',
        '    baseUrl: http://127.0.0.1:9/v1',
        'scorers:',
        '  - type: regex',
        '    pattern: "(unclosed"',
        '  - type: similarity',
        'thresholds:',
        '  - accuracy >= 0.9',
        '  - p95(latency) < 800',
        'run:',
        '  concurency: 3',
      ].join('\n'),
    );
    const result = await runCli(['eval', 'suite.yaml'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/error\[CONFIG_INVALID\]: the suite has \d+ problems/);
    expect(result.stderr).toContain('suite.yaml:7: targets.0.kind: unknown kind');
    expect(result.stderr).toContain('suite.yaml:12: scorers.1.min:');
    expect(result.stderr).toContain("suite.yaml:16: run: unknown field 'concurency'");
  });

  it('reports bad scorers and thresholds of a valid suite together', async () => {
    const dir = freshDir();
    writeFileSync(
      join(dir, 'suite.yaml'),
      `name: s\ncases:\n  - { q: "1+1", expected: "2" }\nprompt:\n  text: "{{q}}"\ntargets:\n${target('http://127.0.0.1:9/v1')}scorers:\n  - type: regex\n    pattern: "(unclosed"\nthresholds:\n  - accuracy >= 0.9\n  - p95(latency) < 800\n`,
    );
    const result = await runCli(['eval', 'suite.yaml'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('suite.yaml:14: scorers.0.pattern: not a valid regular expression');
    expect(result.stderr).toContain("suite.yaml:16: thresholds.0: unknown metric 'accuracy'");
    expect(result.stderr).toContain(
      "suite.yaml:17: thresholds.1: '800' in 'p95(latency) < 800' is not a duration with a unit",
    );
    const flagged = await runCli(['eval', 'suite.yaml', '--threshold', 'nope < 2'], { cwd: dir });
    expect(flagged.stderr).toContain("suite.yaml:16: thresholds.0: unknown metric 'accuracy'");
    expect(flagged.stderr).toContain("command line: thresholds.2: unknown metric 'nope'");
  });

  it('exits 4 when the target is unreachable, and names the judge when the judge is', async () => {
    const dir = freshDir();
    const server = await serve(() => ({ text: 'x' }));
    writeFileSync(
      join(dir, 'suite.yaml'),
      `name: s\ncases:\n  - { q: "hi" }\nprompt:\n  text: "{{q}}"\ntargets:\n${target('http://127.0.0.1:9/v1')}scorers:\n  - type: length\n    max: 10\n`,
    );
    const unreachable = await runCli(['eval', 'suite.yaml'], { cwd: dir });
    expect(unreachable.code).toBe(4);
    writeFileSync(
      join(dir, 'judged.yaml'),
      `name: s\ncases:\n  - { q: "hi" }\nprompt:\n  text: "{{q}}"\ntargets:\n${target(server.baseUrl)}scorers:\n  - type: judge\n    rubric: be polite\n    target:\n      kind: openai-chat\n      baseUrl: http://127.0.0.1:9/v1\n      model: judge\n`,
    );
    const judge = await runCli(['eval', 'judged.yaml'], { cwd: dir });
    expect(judge.code).toBe(4);
    expect(judge.stderr).toContain("error[JUDGE_UNREACHABLE]: the judge of scorer 'judge' is unreachable");
    expect(server.requests).toHaveLength(0);
  });
});

describe('yardstick eval: scorers', () => {
  it('grades with an LLM judge, records its cost apart, and counts unreadable judge answers as unscored', async () => {
    const server = await serve((r) => {
      if (r.body.model === 'judge') {
        if (r.prompt.includes('Answer to grade:\nrude')) return { text: 'I cannot decide.' };
        return {
          text: r.prompt.includes('Answer to grade:\nthank you kindly') ? 'Score: 5\nVery polite.' : 'Score: 2\nCurt.',
        };
      }
      const answers: Record<string, string> = { a: 'thank you kindly', b: 'ok', c: 'rude' };
      return { text: answers[r.prompt] ?? '' };
    });
    const dir = freshDir();
    writeFileSync(
      join(dir, 'suite.yaml'),
      `name: polite\ncases:\n  - { id: a, q: a }\n  - { id: b, q: b }\n  - { id: c, q: c }\nprompt:\n  text: "{{q}}"\ntargets:\n${target(server.baseUrl)}scorers:\n  - type: judge\n    name: polite\n    rubric: Is the answer polite?\n    target:\n      kind: openai-chat\n      baseUrl: ${server.baseUrl}\n      model: judge\n      stream: false\n      pricing: { inputPerMTokens: 10, outputPerMTokens: 10 }\n`,
    );
    const json = JSON.parse((await runCli(['eval', 'suite.yaml', '--json'], { cwd: dir })).stdout) as EvalJson;
    expect(json.cases).toMatchObject({ answered: 3, unscored: 1 });
    expect(json.metrics.polite).toMatchObject({ value: (1 + 0.25) / 2, n: 2 });
    expect(json.metrics.pass_rate).toMatchObject({ value: 0.5, n: 2 });
    expect(json.scorers.polite).toMatchObject({ scored: 2, unscored: 1 });
    expect(json.scorers.polite?.firstUnscoredReason).toContain('judge answer has no score in 1…5');
    expect(json.cost.judge).toBeGreaterThan(0);
    expect(json.cost.total).toBeNull();
  });

  it('runs a TypeScript custom scorer, a JSON Schema and numeric tolerance', async () => {
    const server = await serve((r) => ({
      text: r.prompt === 'json' ? '```json\n{"total": 41.9}\n```' : 'about 1,234.5 units',
    }));
    const dir = freshDir();
    writeFileSync(join(dir, 'helper.ts'), 'export const twice = (n: number): number => 2 * n;\n');
    writeFileSync(
      join(dir, 'scorer.ts'),
      "import { twice } from './helper.ts';\ninterface Input { output: string; vars: Record<string, unknown> }\nexport function longEnough(input: Input): { value: number; pass: boolean; explanation: string } {\n  const wanted: number = twice(Number(input.vars.half));\n  return { value: input.output.length >= wanted ? 1 : 0, pass: input.output.length >= wanted, explanation: `needs ${wanted}` };\n}\n",
    );
    writeFileSync(
      join(dir, 'suite.yaml'),
      `name: mixed\ncases:\n  - { id: j, q: json, expected: "42", half: 5 }\n  - { id: n, q: number, expected: "1234", half: 50 }\nprompt:\n  text: "{{q}}"\ntargets:\n${target(server.baseUrl)}scorers:\n  - type: custom\n    module: scorer.ts\n    export: longEnough\n  - type: numeric\n    tolerance: 0.4\n  - type: json-schema\n    schema: { type: object, required: [total], properties: { total: { type: number } } }\n`,
    );
    const result = await runCli(['eval', 'suite.yaml', '--json'], { cwd: dir });
    expect(result.stderr).toBe('');
    const json = JSON.parse(result.stdout) as EvalJson;
    expect(json.metrics.custom).toMatchObject({ value: 0.5, n: 2 });
    expect(json.metrics.numeric).toMatchObject({ value: 0.5, n: 2 });
    expect(json.metrics['json-schema']).toMatchObject({ value: 0.5, n: 2 });
    const cases = JSON.parse((await runCli(['runs', 'export', json.runId, '--cases'], { cwd: dir })).stdout) as {
      caseId: string;
      scores: Record<string, { pass: boolean; explanation: string }>;
    }[];
    const j = cases.find((c) => c.caseId === 'j');
    expect(j?.scores.custom).toMatchObject({ pass: true, explanation: 'needs 10' });
    expect(j?.scores.numeric?.pass).toBe(true);
    expect(j?.scores['json-schema']?.pass).toBe(true);
    expect(cases.find((c) => c.caseId === 'n')?.scores.numeric?.pass).toBe(false);
  });

  it('reads a Parquet dataset: a model that always answers 1 scores the share of label 1 in WNLI', async () => {
    const file = join(DATA_DIR, 'glue', 'WNLI', 'validation.parquet');
    const rows = await loadRecords(file);
    const ones = rows.filter((r) => String(r.fields.label) === '1').length;
    const server = await serve(() => ({ text: '1' }));
    const dir = freshDir();
    writeFileSync(
      join(dir, 'suite.yaml'),
      `name: wnli\ndataset: ${file}\nidColumn: idx\nexpectedColumn: label\nprompt:\n  text: "{{sentence1}}\\nQuestion: {{sentence2}} True or False?\\nAnswer:"\ntargets:\n${target(server.baseUrl)}scorers:\n  - type: choice\n    choices: ["0", "1"]\n    extract: strict\nrun:\n  concurrency: 8\n`,
    );
    const json = JSON.parse((await runCli(['eval', 'suite.yaml', '--json'], { cwd: dir })).stdout) as EvalJson;
    expect(json.n).toBe(rows.length);
    expect(json.metrics.accuracy?.value).toBeCloseTo(ones / rows.length, 12);
    expect(server.requests[0]?.prompt).toMatch(/\nQuestion: .+ True or False\?\nAnswer:$/);
  });

  it('saves an interrupted run as such and exits 130', async () => {
    const server = await serve(() => ({ text: 'x', delayMs: 200 }));
    const dir = freshDir();
    const cases = Array.from({ length: 30 }, (_, i) => `  - { q: "q${i}" }`).join('\n');
    writeFileSync(
      join(dir, 'suite.yaml'),
      `name: slow\ncases:\n${cases}\nprompt:\n  text: "{{q}}"\ntargets:\n${target(server.baseUrl)}scorers:\n  - type: length\n    max: 5\nrun:\n  concurrency: 2\n`,
    );
    const result = await runCli(['eval', 'suite.yaml', '--json'], {
      cwd: dir,
      onSpawn: (child) => {
        const timer = setInterval(() => {
          if (server.requests.length >= 4) {
            clearInterval(timer);
            child.kill('SIGINT');
          }
        }, 5);
      },
    });
    expect(result.code).toBe(130);
    const json = JSON.parse(result.stdout) as EvalJson;
    expect(json.status).toBe('interrupted');
    expect(json.cases.answered).toBeLessThan(30);
  });
});
