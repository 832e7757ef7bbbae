import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RatingJson } from '../src/rating/agreement-summary.js';
import { freshDir, runCli } from './helpers/cli.js';
import { startSimulator } from '../src/simulator/server.js';
import { dirWithPackage } from './helpers/package-dir.js';

/** Positive when a review holds "loved": right on six of these eight reviews, wrong on r7 and r8. */
const MODEL = `import { functionTarget } from 'yardstick/eval';
export function keywords() {
  return functionTarget({ name: 'keywords', answer: (r) => (/loved/i.test(r.prompt) ? 'positive' : 'negative') });
}
`;

const REVIEWS = [
  ['r1', 'I loved it', 'positive'],
  ['r2', 'We loved every minute', 'positive'],
  ['r3', 'She loved the cast', 'positive'],
  ['r4', 'A dull and slow film', 'negative'],
  ['r5', 'It is a mess', 'negative'],
  ['r6', 'The plot was thin', 'negative'],
  ['r7', 'A delight from start to end', 'positive'],
  ['r8', 'I loved how fast I left', 'negative'],
];

function parseCsvRows(text: string): string[][] {
  return text
    .trim()
    .split('\n')
    .map((line) => line.split(','));
}

describe('yardstick rate', () => {
  it('rates an eval run blind, imports two raters, and measures their agreement and the eval’s', async () => {
    const dir = dirWithPackage();
    writeFileSync(join(dir, 'keywords.mjs'), MODEL);
    writeFileSync(
      join(dir, 'suite.yaml'),
      [
        'name: reviews',
        'cases:',
        ...REVIEWS.map(([id, text, expected]) => `  - { id: ${id}, text: "${text}", expected: ${expected} }`),
        'prompt: { text: "Review {{text}}" }',
        'targets: [{ kind: custom, name: secret-target, module: keywords.mjs, export: keywords }]',
        'scorers: [{ type: choice, choices: [positive, negative] }]',
        '',
      ].join('\n'),
    );
    const evaluated = await runCli(['eval', 'suite.yaml', '--json'], { cwd: dir });
    const evalRun = (JSON.parse(evaluated.stdout) as { runId: string }).runId;
    const created = await runCli(['rate', 'create', evalRun, '--json'], { cwd: dir });
    expect(created.code, created.stderr).toBe(0);
    const task = JSON.parse(created.stdout) as RatingJson;
    expect(task).toMatchObject({ kind: 'rating', items: 8, rubric: 'pass-fail', raters: [] });

    const exported = await runCli(['rate', 'export', task.runId, '-o', 'sheet.csv'], { cwd: dir });
    expect(exported.code, exported.stderr).toBe(0);
    const sheet = readFileSync(join(dir, 'sheet.csv'), 'utf8');
    // Blind: the sheet names neither the target nor the case, nor the eval's verdict.
    expect(sheet.split('\n')[0]).toBe('item,prompt,output,rating,comment');
    expect(sheet).not.toContain('secret-target');
    expect(sheet).not.toMatch(/\br\d\b/);
    const rows = parseCsvRows(sheet).slice(1);
    // Alice judges each answer right or wrong as the expected labels say; Bob differs from her on two items.
    const truth = new Map(REVIEWS.map(([, text, expected]) => [`Review ${text}`, expected]));
    const alice = rows.map(([item, prompt, output]) => [item, truth.get(prompt ?? '') === output ? 'pass' : 'fail']);
    const firstPass = alice.findIndex(([, r]) => r === 'pass');
    const firstFail = alice.findIndex(([, r]) => r === 'fail');
    const bob = alice.map(([item, r], i) => [item, i === firstPass ? 'fail' : i === firstFail ? 'pass' : r]);
    const sheetOf = (ratings: (string | undefined)[][]): string =>
      `item,rating,comment\n${ratings.map(([item, r]) => `${item ?? ''},${r ?? ''},`).join('\n')}\n`;
    writeFileSync(join(dir, 'alice.csv'), sheetOf(alice));
    writeFileSync(join(dir, 'bob.csv'), sheetOf(bob));
    expect((await runCli(['rate', 'import', task.runId, 'alice.csv', '--rater', 'alice'], { cwd: dir })).code).toBe(0);
    const imported = await runCli(['rate', 'import', task.runId, 'bob.csv', '--rater', 'bob', '--json'], { cwd: dir });
    expect(imported.code, imported.stderr).toBe(0);
    const summary = JSON.parse(imported.stdout) as RatingJson;
    expect(summary.raters).toEqual([
      { name: 'alice', rated: 8 },
      { name: 'bob', rated: 8 },
    ]);
    // Alice 6 pass, 2 fail; Bob flips one of each: agreement 6/8, chance 0.75² + 0.25² = 0.625, kappa 1/3.
    expect(summary.pairs[0]?.agreement).toBe(0.75);
    expect(summary.pairs[0]?.kappa?.value).toBeCloseTo(1 / 3, 12);
    expect(summary.fleiss?.value).toBeCloseTo(1 / 3, 12);
    // Krippendorff (nominal): 1 − (16 − 1) × 4 disagreeing pairs / (2 × 12 × 4) = 0.375.
    expect(summary.alpha?.value).toBeCloseTo(0.375, 12);
    expect(summary.alpha?.interval?.[0]).toBeLessThan(0.375);
    // The raters tie on the two items they split on; on the other six their majority is the eval's verdict.
    expect(summary.human).toMatchObject({ measure: 'pass-rate', items: 6 });
    expect(summary.judge?.agreement).toBe(1);
    expect(summary.judge?.kappa?.value).toBeCloseTo(1, 12);
    expect(summary.disagreementCount).toBe(2);

    // A changed rating is a new revision; the latest counts.
    writeFileSync(join(dir, 'bob.csv'), sheetOf(alice));
    const revised = await runCli(['rate', 'import', task.runId, 'bob.csv', '--rater', 'bob', '--json'], { cwd: dir });
    expect((JSON.parse(revised.stdout) as RatingJson).pairs[0]?.kappa?.value).toBeCloseTo(1, 12);
    const kept = await runCli(['rate', 'export', task.runId, '--ratings', '--format', 'jsonl'], { cwd: dir });
    expect(kept.stdout.trim().split('\n')).toHaveLength(16);

    const shown = await runCli(['runs', 'show', task.runId], { cwd: dir });
    expect(shown.stdout).toContain("Cohen's kappa alice × bob: 1.000");
    const report = await runCli(['report', task.runId, '-o', 'out'], { cwd: dir });
    expect(report.code, report.stderr).toBe(0);
    expect(readFileSync(join(dir, 'out', 'report.html'), 'utf8')).toContain('Ratings of');

    // Bad rows: every one named with its line, and nothing imported.
    writeFileSync(join(dir, 'bad.csv'), `item,rating\n${alice[0]?.[0] ?? ''},maybe\ni999,pass\n`);
    const bad = await runCli(['rate', 'import', task.runId, 'bad.csv', '--rater', 'carol'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("bad.csv:2: rating: 'maybe' is not pass or fail");
    expect(bad.stderr).toContain("bad.csv:3: item: 'i999' is not an item of task");
    const after = await runCli(['rate', 'show', task.runId, '--json'], { cwd: dir });
    expect((JSON.parse(after.stdout) as RatingJson).raters.map((r) => r.name)).toEqual(['alice', 'bob']);
  }, 60_000);

  it('takes the rubric and question from the suite, and rates two runs pairwise, blind to which side is which', async () => {
    const dir = dirWithPackage();
    writeFileSync(join(dir, 'keywords.mjs'), MODEL);
    writeFileSync(
      join(dir, 'always.mjs'),
      `import { functionTarget } from 'yardstick/eval';\nexport function always() {\n  return functionTarget({ name: 'always', answer: () => 'positive' });\n}\n`,
    );
    const suite = (target: string): string =>
      [
        'name: reviews',
        'cases:',
        ...REVIEWS.map(([id, text, expected]) => `  - { id: ${id}, text: "${text}", expected: ${expected} }`),
        'prompt: { text: "Review {{text}}" }',
        `targets: [${target}]`,
        'scorers: [{ type: choice, choices: [positive, negative] }]',
        'rating: { rubric: "scale:1-5", question: "How right is the label?" }',
        '',
      ].join('\n');
    writeFileSync(join(dir, 'a.yaml'), suite('{ kind: custom, module: keywords.mjs, export: keywords }'));
    writeFileSync(join(dir, 'b.yaml'), suite('{ kind: custom, module: always.mjs, export: always }'));
    const runOf = async (file: string): Promise<string> =>
      (JSON.parse((await runCli(['eval', file, '--json'], { cwd: dir })).stdout) as { runId: string }).runId;
    const a = await runOf('a.yaml');
    const b = await runOf('b.yaml');

    const fromSuite = await runCli(['rate', 'create', a, '--json'], { cwd: dir });
    expect(fromSuite.code, fromSuite.stderr).toBe(0);
    expect(JSON.parse(fromSuite.stdout) as RatingJson).toMatchObject({ rubric: 'scale:1-5', against: null });

    const created = await runCli(['rate', 'create', a, '--against', b, '--json'], { cwd: dir });
    expect(created.code, created.stderr).toBe(0);
    const task = JSON.parse(created.stdout) as RatingJson;
    expect(task).toMatchObject({ rubric: 'pairwise', source: a, against: b, items: 8 });
    const sheet = (await runCli(['rate', 'export', task.runId, '--format', 'jsonl'], { cwd: dir })).stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, string>);
    expect(Object.keys(sheet[0] ?? {})).toEqual(['item', 'prompt', 'output_1', 'output_2', 'rating', 'comment']);
    expect(JSON.stringify(sheet)).not.toContain(a);
    // Each side is shown first on some items: a rater cannot learn which run is which from the position.
    const keywordsFirst = sheet.filter((row) => {
      const text = (row.prompt ?? '').replace('Review ', '');
      const keywords = /loved/i.test(text) ? 'positive' : 'negative';
      return row.output_1 === keywords && row.output_2 !== keywords;
    });
    const differing = sheet.filter((row) => row.output_1 !== row.output_2);
    expect(differing).toHaveLength(4);
    expect(keywordsFirst.length).toBeGreaterThan(0);
    expect(keywordsFirst.length).toBeLessThan(differing.length);

    // Two raters prefer the right label, and call a tie when both outputs are the same (or both wrong).
    const truth = new Map(REVIEWS.map(([, text, expected]) => [`Review ${text}`, expected]));
    const choice = (row: Record<string, string>): string => {
      const right = truth.get(row.prompt ?? '');
      const first = row.output_1 === right;
      const second = row.output_2 === right;
      return first === second ? 'tie' : first ? '1' : '2';
    };
    writeFileSync(
      join(dir, 'both.csv'),
      `item,rater,rating\n${sheet.flatMap((row) => ['ann', 'ben'].map((r) => `${row.item},${r},${choice(row)}`)).join('\n')}\n`,
    );
    const imported = await runCli(['rate', 'import', task.runId, 'both.csv', '--json'], { cwd: dir });
    expect(imported.code, imported.stderr).toBe(0);
    const summary = JSON.parse(imported.stdout) as RatingJson;
    // keywords (A) is right where always-positive (B) is wrong on r4, r5, r6; B is right where A is wrong on r7 only;
    // r8 both wrong, r1–r3 the same output: ties.
    expect(summary.preference).toMatchObject({ aWins: 3, bWins: 1, ties: 4 });
    expect(summary.preference?.bWinShare).toBe(0.25);
    // Exact two-sided sign test of 1 in 4: 2 × P(X ≤ 1) = 2 × 5/16.
    expect(summary.preference?.pValue).toBeCloseTo(0.625, 12);
    expect(summary.pairs[0]?.agreement).toBe(1);
    const shown = await runCli(['rate', 'show', task.runId], { cwd: dir });
    expect(shown.stdout).toContain('raters prefer B on 1, A on 3, tie on 4');

    const mixed = await runCli(['rate', 'create', a, '--against', b, '--rubric', 'pass-fail'], { cwd: dir });
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toContain('error[FLAG_INVALID]: --rubric pass-fail cannot go with --against');
    const alone = await runCli(['rate', 'create', a, '--rubric', 'pairwise'], { cwd: dir });
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('needs a second run');
    writeFileSync(
      join(dir, 'bad.yaml'),
      suite('{ kind: custom, module: always.mjs, export: always }').replace('scale:1-5', 'stars'),
    );
    const badSuite = await runCli(['eval', 'bad.yaml'], { cwd: dir });
    expect(badSuite.code).toBe(2);
    expect(badSuite.stderr).toMatch(/bad\.yaml:\d+.*rating\.rubric.*not a rubric/);
  }, 90_000);

  it('refuses a rubric it does not know, a run that is not an eval, and a task that is not one, with exit 2', async () => {
    const dir = freshDir();
    const rubric = await runCli(['rate', 'create', 'x', '--rubric', 'stars'], { cwd: dir });
    expect(rubric.code).toBe(2);
    expect(rubric.stderr).toContain("error[FLAG_INVALID]: --rubric 'stars' is not a rubric");
    const missing = await runCli(['rate', 'create', 'no-such-run'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('error[RUN_NOT_FOUND]');
    const sim = await startSimulator({ ttftMs: 1, itlMs: 1 });
    try {
      const bench = await runCli(['bench', '--url', `${sim.url}/v1`, '--model', 'sim', '--requests', '5', '--json'], {
        cwd: dir,
      });
      const benchRun = (JSON.parse(bench.stdout) as { runId: string }).runId;
      const notEval = await runCli(['rate', 'create', benchRun], { cwd: dir });
      expect(notEval.code).toBe(2);
      expect(notEval.stderr).toContain(`error[RUN_KIND_MISMATCH]: run ${benchRun} is a bench run`);
      const notTask = await runCli(['rate', 'export', benchRun], { cwd: dir });
      expect(notTask.code).toBe(2);
      expect(notTask.stderr).toContain('not a rating task');
    } finally {
      await sim.close();
    }
  }, 60_000);
});
