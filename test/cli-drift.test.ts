import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../src/core/random.js';
import type { DriftJson } from '../src/drift/run-drift.js';
import { ksTwoSample } from '../src/stats/ks-two-sample.js';
import {
  chiSquareContingency,
  cramersV,
  jensenShannonDistance,
  normalizedWasserstein,
  twoProportionZTest,
} from '../src/stats/distribution-tests.js';
import { freshDir, runCli } from './helpers/cli.js';

const random = seededRandom(11);
const normal = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());

interface Row {
  age: number;
  country: string;
  churn: number;
  comment: string;
}

function rows(n: number, shift: number): Row[] {
  const words = ['good', 'bad', 'slow', 'fast', 'price', 'support', 'login', 'error'];
  return Array.from({ length: n }, () => ({
    age: Number((40 + 10 * normal() + shift * 50).toFixed(2)),
    country: random() < 0.5 + shift ? 'DE' : random() < 0.5 ? 'FR' : 'US',
    churn: random() < 0.3 + shift ? 1 : 0,
    comment: Array.from(
      { length: 3 + Math.floor(random() * 4) },
      () => words[Math.floor(random() * (shift > 0 ? 8 : 5))],
    ).join(' '),
  }));
}

function csv(path: string, data: readonly Row[], extra: (i: number) => Record<string, string> = () => ({})): string {
  const header = [...Object.keys(data[0] ?? {}), ...Object.keys(extra(0))];
  const lines = data.map((r, i) =>
    [...Object.values(r).map(String), ...Object.values(extra(i))]
      .map((v) => (v.includes(',') ? `"${v}"` : v))
      .join(','),
  );
  writeFileSync(path, `${header.join(',')}\n${lines.join('\n')}\n`);
  return path;
}

describe('yardstick drift', () => {
  it('small reference: KS, chi-square and z-test with effect sizes, statistics equal to the scipy-checked library', async () => {
    const dir = freshDir();
    const reference = rows(600, 0);
    const current = rows(500, 0.2);
    const result = await runCli(
      ['drift', csv(join(dir, 'ref.csv'), reference), csv(join(dir, 'cur.csv'), current), '--json'],
      { cwd: dir },
    );
    expect(result.code).toBe(0);
    const drift = JSON.parse(result.stdout) as DriftJson;
    const column = (name: string) => drift.columns.find((c) => c.name === name);
    const ks = ksTwoSample(
      reference.map((r) => r.age),
      current.map((r) => r.age),
    );
    expect(column('age')).toMatchObject({
      type: 'numeric',
      test: 'ks',
      statistic: ks.statistic,
      pValue: ks.pValue,
      effectSize: ks.statistic,
      threshold: 0.05,
      drifted: true,
    });
    const count = (data: Row[], c: string) => data.filter((r) => r.country === c).length;
    const table = [
      ['DE', 'FR', 'US'].map((c) => count(reference, c)),
      ['DE', 'FR', 'US'].map((c) => count(current, c)),
    ];
    expect(column('country')?.test).toBe('chi2');
    expect(column('country')?.statistic).toBeCloseTo(chiSquareContingency(table).statistic, 9);
    expect(column('country')?.effectSize).toBeCloseTo(cramersV(table), 9);
    const zeros = (data: Row[]) => data.filter((r) => r.churn === 0).length;
    const z = twoProportionZTest(zeros(reference), 600, zeros(current), 500);
    expect(column('churn')).toMatchObject({ type: 'boolean', test: 'z' });
    expect(column('churn')?.pValue).toBeCloseTo(z.pValue, 12);
    expect(column('comment')?.type).toBe('text');
    expect(column('comment')?.text?.outOfVocabularyRate).toBeGreaterThan(0.2);
    expect(drift).toMatchObject({
      schemaVersion: 1,
      kind: 'drift',
      dataset: { method: 'share', drifted: true, testedColumns: 4 },
    });
    const listed = await runCli(['runs', 'list', '--kind', 'drift', '--json'], { cwd: dir });
    expect(listed.stdout).toContain(drift.runId);
    const shown = await runCli(['runs', 'show', drift.runId], { cwd: dir });
    expect(shown.stdout).toContain('dataset: DRIFTED');
    const typed = JSON.parse(
      (
        await runCli(
          [
            'drift',
            join(dir, 'ref.csv'),
            join(dir, 'cur.csv'),
            '--json',
            '--columns',
            'churn',
            '--type',
            'churn=numeric',
            '--test',
            'ks',
          ],
          { cwd: dir },
        )
      ).stdout,
    ) as DriftJson;
    expect(typed.columns[0]).toMatchObject({ name: 'churn', type: 'numeric', test: 'ks' });
    const forcedText = JSON.parse(
      (
        await runCli(
          ['drift', join(dir, 'ref.csv'), join(dir, 'cur.csv'), '--json', '--columns', 'comment', '--test', 'js'],
          { cwd: dir },
        )
      ).stdout,
    ) as DriftJson;
    expect(forcedText.columns[0]).toMatchObject({ name: 'comment', type: 'text', test: 'js' });
    expect(forcedText.columns[0]?.statistic).toBeGreaterThan(0);
  });

  it('large reference: Wasserstein in reference SDs and Jensen–Shannon; a trivial shift on a huge sample is significant but not drift', async () => {
    const dir = freshDir();
    const reference = rows(20_000, 0);
    const current = rows(20_000, 0.01);
    const ref = csv(join(dir, 'ref.csv'), reference);
    const cur = csv(join(dir, 'cur.csv'), current);
    const defaults = JSON.parse(
      (await runCli(['drift', ref, cur, '--json', '--columns', 'age,country'], { cwd: dir })).stdout,
    ) as DriftJson;
    const age = defaults.columns.find((c) => c.name === 'age');
    expect(age?.test).toBe('wasserstein');
    expect(age?.statistic).toBeCloseTo(
      normalizedWasserstein(
        reference.map((r) => r.age),
        current.map((r) => r.age),
      ),
      9,
    );
    const shares = (data: Row[]) => ['DE', 'FR', 'US'].map((c) => data.filter((r) => r.country === c).length);
    expect(defaults.columns.find((c) => c.name === 'country')?.statistic).toBeCloseTo(
      jensenShannonDistance(shares(reference), shares(current)),
      9,
    );
    const ks = JSON.parse(
      (await runCli(['drift', ref, cur, '--json', '--columns', 'age', '--test', 'ks'], { cwd: dir })).stdout,
    ) as DriftJson;
    const forced = ks.columns[0];
    expect(forced?.pValue).toBeLessThan(0.05);
    expect(forced?.effectSize).toBeLessThan(0.1);
    expect(forced?.drifted).toBe(false);
  });

  it('multiple-testing control: Bonferroni and Benjamini–Hochberg adjust the p-values, and --fail-on-drift exits 3', async () => {
    const dir = freshDir();
    const ref = csv(join(dir, 'ref.csv'), rows(400, 0));
    const cur = csv(join(dir, 'cur.csv'), rows(400, 0.2));
    const share = JSON.parse((await runCli(['drift', ref, cur, '--json'], { cwd: dir })).stdout) as DriftJson;
    const bonferroni = JSON.parse(
      (await runCli(['drift', ref, cur, '--json', '--method', 'bonferroni'], { cwd: dir })).stdout,
    ) as DriftJson;
    const tested = bonferroni.columns.filter((c) => c.test === 'ks' || c.test === 'chi2' || c.test === 'z');
    for (const c of tested) {
      const raw = share.columns.find((s) => s.name === c.name)?.pValue ?? Number.NaN;
      expect(c.pValueAdjusted).toBeCloseTo(Math.min(1, raw * tested.length), 12);
    }
    expect(bonferroni.dataset).toMatchObject({ method: 'bonferroni', drifted: true });
    const failing = await runCli(['drift', ref, cur, '--fail-on-drift'], { cwd: dir });
    expect(failing.code).toBe(3);
    expect(failing.stdout).toContain('dataset: DRIFTED');
  });

  it('bad input: a column on one side, an all-missing column, mixed types, 100,000 categories; the rest is analysed', async () => {
    const dir = freshDir();
    const n = 100_000;
    const ref = rows(n, 0);
    const cur = rows(1000, 0);
    const refPath = csv(join(dir, 'ref.csv'), ref, (i) => ({
      only_ref: '1',
      empty: '',
      mixed: i % 3 === 0 ? 'n/a-ish' : String(i),
      id: `u${i}`,
    }));
    const curPath = csv(join(dir, 'cur.csv'), cur, (i) => ({
      only_cur: '2',
      empty: '',
      mixed: String(i),
      id: `v${i}`,
    }));
    const result = await runCli(['drift', refPath, curPath, '--json'], { cwd: dir });
    expect(result.stderr).toBe('');
    const drift = JSON.parse(result.stdout) as DriftJson;
    expect(drift.skipped).toEqual(
      expect.arrayContaining([
        { name: 'only_ref', reason: 'only in the reference' },
        { name: 'only_cur', reason: 'only in the current data' },
        { name: 'empty', reason: 'every value is missing in the reference' },
      ]),
    );
    expect(drift.columns.find((c) => c.name === 'mixed')?.notes.join(' ')).toContain('mixed types');
    const id = drift.columns.find((c) => c.name === 'id');
    expect(id?.type).toBe('categorical');
    expect(id?.notes.join(' ')).toContain('pooled into "(other)"');
    expect(drift.columns.find((c) => c.name === 'age')?.drifted).toBe(false);
  });

  it('an empty file, a file that is not what its extension says, an unknown column and a bad flag exit 2', async () => {
    const dir = freshDir();
    const ref = csv(join(dir, 'ref.csv'), rows(50, 0));
    writeFileSync(join(dir, 'empty.csv'), 'age,country\n');
    writeFileSync(join(dir, 'fake.parquet'), 'age,country\n1,DE\n');
    const empty = await runCli(['drift', ref, join(dir, 'empty.csv')], { cwd: dir });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('has no records');
    const fake = await runCli(['drift', ref, join(dir, 'fake.parquet')], { cwd: dir });
    expect(fake.code).toBe(2);
    expect(fake.stderr).toContain('as Parquet');
    const unknown = await runCli(['drift', ref, ref, '--columns', 'age,salary'], { cwd: dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('salary');
    expect(unknown.stderr).toContain('columns in both: age, country, churn, comment');
    const flag = await runCli(['drift', ref, ref, '--test', 'anova'], { cwd: dir });
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('ks, chi2, z, psi, js, wasserstein, hellinger, cramer-v');
    const share = await runCli(['drift', ref, ref, '--share', '2'], { cwd: dir });
    expect(share.code).toBe(2);
    expect(share.stderr).toContain("error[FLAG_INVALID]: --share '2' is not valid");
  });

  it('thresholds in the one grammar gate the run: on the dataset and on a column, exit 3 when one fails', async () => {
    const dir = freshDir();
    const ref = csv(join(dir, 'ref.csv'), rows(400, 0));
    const cur = csv(join(dir, 'cur.csv'), rows(400, 0.2));
    const gated = await runCli(
      ['drift', ref, cur, '--json', '--threshold', 'tested_columns >= 4', '--threshold', 'effect(age) < 0.05'],
      { cwd: dir },
    );
    expect(gated.code).toBe(3);
    const drift = JSON.parse(gated.stdout) as DriftJson;
    const age = drift.columns.find((c) => c.name === 'age');
    expect(drift.thresholds).toEqual([
      { expr: 'tested_columns >= 4', value: drift.columns.length, pass: true },
      { expr: 'effect(age) < 0.05', value: age?.effectSize, pass: false },
    ]);
    const text = await runCli(['drift', ref, cur, '--threshold', 'drifted_share <= 1'], { cwd: dir });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/thresholds:\n {2}✓ drifted_share <= 1 {2}\(measured [\d.]+\)/);
    // A plain number is still the test's threshold.
    const number = await runCli(['drift', ref, cur, '--json', '--test', 'psi', '--threshold', '0.25'], { cwd: dir });
    expect(number.code).toBe(0);
    expect((JSON.parse(number.stdout) as DriftJson).columns.every((c) => c.threshold === 0.25)).toBe(true);
    const unknown = await runCli(['drift', ref, cur, '--threshold', 'effect(agee) < 0.1'], { cwd: dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("'effect(agee) < 0.1' names a column that was not tested");
    const bad = await runCli(['drift', ref, cur, '--threshold', 'drift < 1'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--threshold: unknown measure 'drift' in 'drift < 1'");
  });
});
