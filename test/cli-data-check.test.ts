import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DataCheckJson } from '../src/quality/run-data-check.js';
import { chiSquareGoodnessOfFit } from '../src/stats/distribution-tests.js';
import { freshDir, runCli } from './helpers/cli.js';

function write(dir: string, name: string, header: string, rows: readonly string[]): string {
  const path = join(dir, name);
  writeFileSync(path, `${header}\n${rows.join('\n')}\n`);
  return path;
}

/** 200 rows with known problems: an id, a constant, an empty column, 30% missing, a mixed column, outliers across 6 orders of magnitude, duplicates, a conflict, 19:1 classes. */
function problemRows(): string[] {
  const rows: string[] = [];
  for (let i = 0; i < 200; i += 1) {
    const amount = i === 7 ? 1_000_000 : 1 + (i % 50);
    const mixed = i % 10 === 0 ? 'unknown' : String(i);
    const missing = i % 10 < 3 ? '' : String(i % 7);
    const label = i % 20 === 0 ? 'fraud' : 'ok';
    rows.push([`id${i}`, 'same', '', missing, mixed, amount, `Order number ${i % 150} was late`, label].join(','));
  }
  rows.push(rows[10] as string, rows[11] as string, rows[12] as string);
  rows.push((rows[13] as string).replace('Order number 13 was late', 'order NUMBER 13 was late!'));
  rows.push((rows[14] as string).replace(/,ok$/, ',fraud'));
  return rows;
}

const HEADER = 'id,constant,empty,sparse,mixed,amount,comment,label';

function byCheck(result: DataCheckJson, check: string, column: string | null = null) {
  return result.findings.filter((f) => f.check === check && (column === null || f.column === column));
}

describe('yardstick data check', () => {
  it('finds each planted problem once, with a severity and advice', async () => {
    const dir = freshDir();
    const file = write(dir, 'data.csv', HEADER, problemRows());
    const result = await runCli(['data', 'check', file, '--label', 'label', '--json'], { cwd: dir });
    expect(result.stderr).toBe('');
    const check = JSON.parse(result.stdout) as DataCheckJson;
    expect(check.files[0]?.rows).toBe(205);
    expect(byCheck(check, 'identifier', 'id')).toHaveLength(1);
    expect(byCheck(check, 'constant', 'constant')[0]?.severity).toBe('warning');
    expect(byCheck(check, 'missing', 'empty')[0]?.severity).toBe('error');
    expect(byCheck(check, 'missing', 'sparse')[0]).toMatchObject({ severity: 'warning', details: { missing: 63 } });
    expect(byCheck(check, 'mixed-types', 'mixed')).toHaveLength(1);
    expect(byCheck(check, 'outliers', 'amount')[0]?.details.iqrOutliers).toBe(1);
    expect(byCheck(check, 'scale', 'amount')[0]?.message).toContain('6 orders of magnitude');
    expect(byCheck(check, 'duplicates')[0]?.details.duplicates).toBe(3);
    expect(byCheck(check, 'near-duplicates')[0]?.details.nearDuplicates).toBe(1);
    expect(byCheck(check, 'conflicting-labels', 'label')[0]).toMatchObject({
      severity: 'error',
      details: { inputs: 1, rows: 1 },
    });
    expect(byCheck(check, 'class-balance', 'label')[0]?.severity).toBe('warning');
    expect(check.findings.every((f) => f.advice.length > 20)).toBe(true);
    expect(check.columns.find((c) => c.name === 'comment')?.type).toBe('text');
    const shown = await runCli(['runs', 'show', check.runId], { cwd: dir });
    expect(shown.stdout).toContain('2 errors');
    const failing = await runCli(['data', 'check', file, '--label', 'label', '--fail-on', 'error'], { cwd: dir });
    expect(failing.code).toBe(3);
    expect(failing.stdout).toContain('ERROR   conflicting-labels (label)');
  });

  it('thresholds in the one grammar gate the check: counts by severity and by check, exit 3 when one fails', async () => {
    const dir = freshDir();
    const file = write(dir, 'data.csv', HEADER, problemRows());
    const args = ['data', 'check', file, '--label', 'label', '--json'];
    const result = await runCli([...args, '--threshold', 'errors <= 2', '--threshold', 'findings(duplicates) < 1'], {
      cwd: dir,
    });
    expect(result.code).toBe(3);
    const check = JSON.parse(result.stdout) as DataCheckJson;
    expect(check.thresholds).toEqual([
      { expr: 'errors <= 2', value: check.counts.error, pass: check.counts.error <= 2 },
      { expr: 'findings(duplicates) < 1', value: byCheck(check, 'duplicates').length, pass: false },
    ]);
    expect(check.counts.error).toBe(2);
    const passing = await runCli([...args, '--threshold', 'findings(leakage) < 1'], { cwd: dir });
    expect(passing.code).toBe(0);
    const bad = await runCli([...args, '--threshold', 'problems < 1'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--threshold: unknown count 'problems' in 'problems < 1'");
  });

  it('leaves identifier columns out when rows are compared, and says which', async () => {
    const dir = freshDir();
    // 12 inputs, each twice with different labels, under a numeric id unique per row.
    const rows = Array.from({ length: 24 }, (_, i) => `${i + 1},${i % 12},${(i % 12) * 2.5},${i < 12 ? 'yes' : 'no'}`);
    const file = write(dir, 'ids.csv', 'id,x,y,label', rows);
    const check = JSON.parse(
      (await runCli(['data', 'check', file, '--label', 'label', '--json'], { cwd: dir })).stdout,
    ) as DataCheckJson;
    expect(check.identifiers).toEqual(['id']);
    expect(byCheck(check, 'identifiers')[0]?.message).toContain("'id' has a distinct value in every row");
    expect(byCheck(check, 'conflicting-labels', 'label')[0]).toMatchObject({
      severity: 'error',
      details: { inputs: 12, rows: 12 },
    });
    const withoutId = write(
      dir,
      'no-ids.csv',
      'x,y,label',
      rows.map((r) => r.slice(r.indexOf(',') + 1)),
    );
    const plain = JSON.parse(
      (await runCli(['data', 'check', withoutId, '--label', 'label', '--json'], { cwd: dir })).stdout,
    ) as DataCheckJson;
    expect(byCheck(plain, 'conflicting-labels', 'label')[0]?.details).toEqual(
      byCheck(check, 'conflicting-labels', 'label')[0]?.details,
    );
    expect(plain.identifiers).toEqual([]);
    // Split files numbered apart: the rows test copies from train are found all the same.
    const train = write(
      dir,
      'train.csv',
      'row_id,x,label',
      Array.from({ length: 100 }, (_, i) => `${i},${i},${i % 2 === 0 ? 'a' : 'b'}`),
    );
    const test = write(
      dir,
      'test.csv',
      'row_id,x,label',
      Array.from({ length: 30 }, (_, i) => `${1000 + i},${i < 2 ? i : 500 + i},${i % 2 === 0 ? 'a' : 'b'}`),
    );
    const split = JSON.parse(
      (await runCli(['data', 'check', '--train', train, '--test', test, '--label', 'label', '--json'], { cwd: dir }))
        .stdout,
    ) as DataCheckJson;
    expect(split.identifiers).toEqual(['row_id']);
    expect(byCheck(split, 'leakage')[0]?.details).toMatchObject({ rows: 2 });
  });

  it('train and test files: leakage, unseen categories, label drift and a small test split', async () => {
    const dir = freshDir();
    const train = write(
      dir,
      'train.csv',
      'city,x,label',
      Array.from({ length: 400 }, (_, i) => `${['Oslo', 'Rome', 'Lima'][i % 3]},${i},${i % 2 === 0 ? 'a' : 'b'}`),
    );
    const test = write(dir, 'test.csv', 'city,x,label', [
      ...Array.from({ length: 60 }, (_, i) => `${i % 4 === 0 ? 'Kyiv' : 'Oslo'},${1000 + i},a`),
      'Oslo,0,a',
      'Rome,1,b',
    ]);
    const result = await runCli(['data', 'check', '--train', train, '--test', test, '--label', 'label', '--json'], {
      cwd: dir,
    });
    expect(result.stderr).toBe('');
    const check = JSON.parse(result.stdout) as DataCheckJson;
    expect(byCheck(check, 'leakage')[0]).toMatchObject({ severity: 'error', details: { rows: 2 } });
    expect(byCheck(check, 'new-categories', 'city')[0]?.details).toMatchObject({ values: 1, rows: 15 });
    expect(byCheck(check, 'label-drift', 'label')).toHaveLength(1);
    expect(byCheck(check, 'feature-drift', 'x')).toHaveLength(1);
    expect(byCheck(check, 'split-size')[0]?.details.rows).toBe(62);
    expect(byCheck(check, 'split-sizes')[0]?.details).toMatchObject({ train: 400, test: 62 });
  });

  it('a split column and declared subgroup shares: chi-square goodness of fit and groups too small to evaluate', async () => {
    const dir = freshDir();
    const rows = Array.from(
      { length: 1000 },
      (_, i) =>
        `${i < 800 ? 'train' : 'test'},${i < 300 ? 'EU' : i < 800 ? 'US' : i < 980 ? 'APAC' : 'LATAM'},${i % 5}`,
    );
    const file = write(dir, 'all.csv', 'fold,region,x', rows);
    const result = await runCli(
      ['data', 'check', file, '--split', 'fold', '--expect', 'region=EU:0.3,US:0.5,APAC:15%', '--json'],
      { cwd: dir },
    );
    expect(result.stderr).toBe('');
    const check = JSON.parse(result.stdout) as DataCheckJson;
    const expected = chiSquareGoodnessOfFit([300, 500, 180, 20], [300, 500, 150, 50]);
    const fit = byCheck(check, 'representativeness', 'region')[0];
    expect(fit?.details.statistic).toBeCloseTo(expected.statistic, 12);
    expect(fit?.details.pValue).toBeCloseTo(expected.pValue, 12);
    expect(fit?.severity).toBe('warning');
    expect(byCheck(check, 'split-sizes')[0]?.details).toMatchObject({ train: 800, test: 200 });
    const bad = await runCli(['data', 'check', file, '--expect', 'region=EU:0.8,US:0.5'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('sum to 1.300');
  });

  it('usage errors: no file, a lone --train, an unknown label', async () => {
    const dir = freshDir();
    const file = write(dir, 'x.csv', 'a,b', ['1,2']);
    expect((await runCli(['data', 'check'], { cwd: dir })).code).toBe(2);
    expect((await runCli(['data', 'check', '--train', file], { cwd: dir })).code).toBe(2);
    const unknown = await runCli(['data', 'check', file, '--label', 'y'], { cwd: dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("'y' is not a column");
  });
});

describe("chi-square goodness of fit equals scipy's chisquare", () => {
  it.each([
    [[30, 50, 20], [25, 50, 25], 2.0, 0.36787944117144245],
    [[5, 12, 83], [10, 10, 80], 3.0125, 0.22173994559342164],
  ])('%j against %j', (observed, expected, statistic, pValue) => {
    const result = chiSquareGoodnessOfFit(observed, expected);
    expect(result.statistic).toBeCloseTo(statistic, 12);
    expect(result.pValue).toBeCloseTo(pValue, 12);
  });
});
