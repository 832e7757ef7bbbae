import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../src/core/random.js';
import { freshDir, runCli } from './helpers/cli.js';
import { DATA_DIR } from './helpers/fixtures.js';

interface MetricsSummary {
  schemaVersion: number;
  task: string;
  taskSource: string;
  n: number;
  droppedRows: number;
  metrics: Record<string, { value: number; ci: [number, number] | null }>;
  confusionMatrix: { labels: (string | number)[]; counts: number[][] } | null;
  notes: string[];
}

function write(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const BINARY = 'label,pred,p\n1,1,0.9\n0,0,0.2\n1,0,0.4\n0,0,0.1\n1,1,0.8\n0,1,0.6\n1,1,0.7\n0,0,0.3\n';

describe('yardstick metrics', () => {
  it('prints the documented JSON with scikit-learn values and stores the run', async () => {
    const cwd = freshDir();
    const file = write(cwd, 'preds.csv', BINARY);
    const result = await runCli(['metrics', file, '--true', 'label', '--pred', 'pred', '--score', 'p', '--json'], {
      cwd,
    });
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as MetricsSummary;
    expect(summary).toMatchObject({
      schemaVersion: 1,
      task: 'classification',
      n: 8,
      confusionMatrix: {
        labels: [0, 1],
        counts: [
          [3, 1],
          [1, 3],
        ],
      },
    });
    // Reference values from scikit-learn 1.2.1 on the same eight rows.
    const expected: Record<string, number> = {
      accuracy: 0.75,
      matthews_corrcoef: 0.5,
      cohen_kappa: 0.5,
      roc_auc: 0.9375,
      average_precision: 0.95,
      log_loss: 0.4003674356962309,
      brier_score_loss: 0.125,
      f1: 0.75,
    };
    for (const [name, value] of Object.entries(expected)) expect(summary.metrics[name]?.value).toBeCloseTo(value, 12);
    // Ten equal bins, each probability alone in its bin: |1−0.9| + |0−0.2| + |1−0.4| + |0−0.1| + |1−0.8| + |0−0.6|
    // + |1−0.7| + |0−0.3| = 2.4 over 8 rows; scikit-learn's calibration_curve bins give the same 0.3.
    expect(summary.metrics.expected_calibration_error?.value).toBeCloseTo(0.3, 12);
    const accuracyCi = summary.metrics.accuracy?.ci ?? [0, 0];
    expect(accuracyCi[0]).toBeCloseTo(0.40927, 4); // Wilson, 6 of 8
    expect(accuracyCi[1]).toBeCloseTo(0.92849, 4);
    const list = JSON.parse((await runCli(['runs', 'list', '--json'], { cwd })).stdout) as { kind: string }[];
    expect(list[0]?.kind).toBe('metrics');
  });

  it('reports average precision 0 without positives in the truth, as scikit-learn does, and says why', async () => {
    const cwd = freshDir();
    const file = write(cwd, 'negatives.csv', 'label,pred,p\n0,0,0.1\n0,1,0.7\n0,0,0.3\n0,1,0.6\n');
    const result = await runCli(['metrics', file, '--true', 'label', '--pred', 'pred', '--score', 'p', '--json'], {
      cwd,
    });
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout) as MetricsSummary;
    expect(summary.metrics.average_precision?.value).toBe(0);
    expect(summary.notes.join(' ')).toContain('average_precision: no positive class in the truth');
  });

  it('detects regression, says so, and reports R² and correlations', async () => {
    const cwd = freshDir();
    const file = write(
      cwd,
      'reg.jsonl',
      [1.5, 2.25, 3.0, 4.75, 5.5]
        .map((y, i) => JSON.stringify({ y, yhat: y + (i % 2 === 0 ? 0.25 : -0.5) }))
        .join('\n'),
    );
    const result = await runCli(['metrics', file, '--true', 'y', '--pred', 'yhat', '--json', '--bootstrap', '200'], {
      cwd,
    });
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as MetricsSummary;
    expect(summary.task).toBe('regression');
    expect(summary.taskSource).toContain('detected');
    expect(summary.metrics.mean_absolute_error?.value).toBeCloseTo(0.35, 12);
    expect(summary.metrics.r2?.value).toBeGreaterThan(0.9);
    expect(summary.metrics.r2?.ci).not.toBeNull();
    expect(summary.confusionMatrix).toBeNull();
  });

  it('takes whole numbers with few rows per value as a regression target, and says how to override it', async () => {
    const cwd = freshDir();
    // Whole-dollar prices in steps of 5: 40 rows over 10 values, predictions a step off on two rows in three.
    const prices = Array.from({ length: 40 }, (_, i) => ({
      price: 100 + (i % 10) * 5,
      predicted: 100 + (i % 10) * 5 + ((i % 3) - 1) * 5,
    }));
    const file = write(cwd, 'prices.jsonl', prices.map((p) => JSON.stringify(p)).join('\n'));
    const result = await runCli(
      ['metrics', file, '--true', 'price', '--pred', 'predicted', '--json', '--bootstrap', '0'],
      { cwd },
    );
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout) as MetricsSummary;
    expect(summary.task).toBe('regression');
    expect(summary.taskSource).toContain(
      '10 distinct whole numbers in 40 rows, 4.0 rows per value: too few for classes',
    );
    expect(summary.taskSource).toContain('--task classification');
    expect(summary.metrics.mean_absolute_error?.value).toBeCloseTo(
      prices.reduce((s, p) => s + Math.abs(p.price - p.predicted), 0) / 40,
      12,
    );
    // Ratings from 1 to 5 with many rows each stay classes.
    const ratings = write(
      cwd,
      'ratings.csv',
      `y,p\n${Array.from({ length: 50 }, (_, i) => `${(i % 5) + 1},${((i + (i % 7 === 0 ? 1 : 0)) % 5) + 1}`).join('\n')}\n`,
    );
    const rated = JSON.parse(
      (await runCli(['metrics', ratings, '--true', 'y', '--pred', 'p', '--json', '--bootstrap', '0'], { cwd })).stdout,
    ) as MetricsSummary;
    expect(rated.task).toBe('classification');
    expect(rated.taskSource).toContain('10.0 rows per value');
    const forced = JSON.parse(
      (
        await runCli(
          [
            'metrics',
            file,
            '--true',
            'price',
            '--pred',
            'predicted',
            '--task',
            'classification',
            '--json',
            '--bootstrap',
            '0',
          ],
          { cwd },
        )
      ).stdout,
    ) as MetricsSummary;
    expect(forced.task).toBe('classification');
  });

  it('prints a table and the confusion matrix for people', async () => {
    const cwd = freshDir();
    const file = write(cwd, 'preds.csv', 'y,p\ncat,cat\ndog,cat\ndog,dog\neel,dog\n');
    const result = await runCli(['metrics', file, '--true', 'y', '--pred', 'p'], { cwd });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('f1_macro');
    expect(result.stdout).toContain('confusion matrix (rows: true, columns: predicted)');
  });

  it('keeps predicted labels absent from the truth and says so', async () => {
    const cwd = freshDir();
    const file = write(cwd, 'preds.csv', 'y,p\na,a\nb,c\nb,b\n');
    const summary = JSON.parse(
      (await runCli(['metrics', file, '--true', 'y', '--pred', 'p', '--json'], { cwd })).stdout,
    ) as MetricsSummary;
    expect(summary.notes.join(' ')).toContain('predicted labels absent from the truth: "c"');
    expect(summary.confusionMatrix?.labels).toEqual(['a', 'b', 'c']);
  });

  it('names the available columns when one is unknown', async () => {
    const cwd = freshDir();
    const file = write(cwd, 'preds.csv', BINARY);
    const result = await runCli(['metrics', file, '--true', 'truth', '--pred', 'pred'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`error[COLUMN_UNKNOWN]: ${file} has no column 'truth'`);
    expect(result.stderr).toContain('available columns: label, pred, p');
  });

  it('lists rows with missing values, or drops them when asked', async () => {
    const cwd = freshDir();
    const file = write(cwd, 'preds.csv', 'y,p\n1,1\n0,\nNaN,1\n1,0\n');
    const failed = await runCli(['metrics', file, '--true', 'y', '--pred', 'p'], { cwd });
    expect(failed.code).toBe(2);
    expect(failed.stderr).toContain('error[VALUES_MISSING]');
    expect(failed.stderr).toContain(`${file}:3: p: missing value`);
    expect(failed.stderr).toContain(`${file}:4: y: missing value`);
    expect(failed.stderr).toContain('--drop-missing');
    const dropped = JSON.parse(
      (await runCli(['metrics', file, '--true', 'y', '--pred', 'p', '--drop-missing', '--json'], { cwd })).stdout,
    ) as MetricsSummary;
    expect(dropped).toMatchObject({ n: 2, droppedRows: 2 });
  });

  it('refuses non-numeric values in a regression, naming the row', async () => {
    const cwd = freshDir();
    const file = write(cwd, 'reg.csv', 'y,p\n1.5,1.0\n2.5,two\n');
    const result = await runCli(['metrics', file, '--true', 'y', '--pred', 'p', '--task', 'regression'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${file}:3: p: 'two' is not a number`);
  });

  it('refuses an empty file and a call with nothing to evaluate', async () => {
    const cwd = freshDir();
    const empty = write(cwd, 'empty.csv', 'y,p\n');
    expect((await runCli(['metrics', empty, '--true', 'y', '--pred', 'p'], { cwd })).stderr).toContain(
      'error[DATA_EMPTY]',
    );
    const nothing = await runCli(['metrics', empty, '--true', 'y'], { cwd });
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain('error[COLUMNS_MISSING]');
  });

  it('leaves probability metrics out for scores outside [0, 1], and says why', async () => {
    const cwd = freshDir();
    const file = write(cwd, 'logits.csv', 'y,p,s\n1,1,2.5\n0,0,-1\n1,0,0.3\n0,1,0.9\n');
    const summary = JSON.parse(
      (await runCli(['metrics', file, '--true', 'y', '--pred', 'p', '--score', 's', '--json'], { cwd })).stdout,
    ) as MetricsSummary;
    expect(summary.metrics.roc_auc?.value).toBeCloseTo(0.75, 12);
    expect(summary.metrics.log_loss).toBeUndefined();
    expect(summary.notes.join(' ')).toContain('not probabilities');
  });

  it('reads class probabilities: multiclass ROC AUC, top-k accuracy, and the most probable class as prediction', async () => {
    const cwd = freshDir();
    const rows = [
      ['a', 0.7, 0.2, 0.1],
      ['b', 0.2, 0.5, 0.3],
      ['c', 0.1, 0.3, 0.6],
      ['a', 0.3, 0.4, 0.3],
      ['b', 0.1, 0.8, 0.1],
      ['c', 0.2, 0.2, 0.6],
      ['a', 0.5, 0.25, 0.25],
      ['c', 0.4, 0.1, 0.5],
    ];
    const file = write(cwd, 'probs.csv', `y,p_a,p_b,p_c\n${rows.map((r) => r.join(',')).join('\n')}\n`);
    const result = await runCli(
      ['metrics', file, '--true', 'y', '--proba-prefix', 'p_', '--average', 'macro', '--json'],
      { cwd },
    );
    expect(result.stderr).toBe('');
    const summary = JSON.parse(result.stdout) as MetricsSummary;
    // Reference values from scikit-learn 1.2.1 on the same rows.
    expect(summary.metrics.roc_auc_ovr?.value).toBeCloseTo(0.9777777777777779, 12);
    expect(summary.metrics.roc_auc_ovo?.value).toBeCloseTo(0.9814814814814815, 12);
    expect(summary.metrics.roc_auc_ovr_weighted?.value).toBeCloseTo(0.975, 12);
    expect(summary.metrics.top_k_accuracy?.value).toBeCloseTo(0.875, 12);
    expect(summary.metrics.log_loss?.value).toBeCloseTo(0.6106105110988369, 12);
    expect(summary.metrics.f1?.value).toBeCloseTo(0.8666666666666667, 12);
    expect(summary.metrics.precision?.value).toBeCloseTo(0.8888888888888888, 12);
  });

  it("breaks ties between equal probabilities as scikit-learn's predict does: the first class in sorted label order, whatever the column order", async () => {
    const cwd = freshDir();
    // Columns in the file from c to a; rows 1, 2, 4 and 5 tie.
    const file = write(
      cwd,
      'tied.csv',
      'y,p_c,p_b,p_a\na,0.4,0.2,0.4\nb,0.5,0.5,0\nc,0.6,0.2,0.2\na,0.25,0.5,0.25\nc,0.3,0.3,0.4\n',
    );
    const result = await runCli(
      ['metrics', file, '--true', 'y', '--proba-prefix', 'p_', '--average', 'macro', '--json'],
      { cwd },
    );
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout) as MetricsSummary;
    // scikit-learn 1.2.1: classes_[argmax(proba)] = a, b, c, b, a.
    expect(summary.metrics.accuracy?.value).toBeCloseTo(0.6, 12);
    expect(summary.metrics.f1?.value).toBeCloseTo(0.611111111111111, 12);
  });

  it('refuses probability rows that do not sum to 1, naming the line', async () => {
    const cwd = freshDir();
    const file = write(cwd, 'probs.csv', 'y,p_a,p_b,p_c\na,0.7,0.2,0.1\nb,0.5,0.5,0.3\nc,0.1,0.2,0.7\n');
    const result = await runCli(['metrics', file, '--true', 'y', '--proba-prefix', 'p_'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error[PROBABILITIES_INVALID]');
    expect(result.stderr).toContain(`${file}:3: p_*: probabilities sum to 1.3`);
  });

  it('accepts probabilities that sum to 1 as scikit-learn does (six decimals) and gives its multiclass ROC AUC', async () => {
    const cwd = freshDir();
    // Rows written with six decimals, off from 1 by up to 4e-6 (row 1); rows 2 to 12 from numpy's
    // default_rng(7).dirichlet([1, 1, 1], 12) rounded to 6 decimals. scikit-learn 1.2.1 roc_auc_score on the same rows:
    // ovr macro/weighted 0.5208333333333334, ovo macro 0.5208333333333334, ovo weighted 0.5208333333333333.
    const rows = [
      'a,0.307450,0.445492,0.247062',
      'b,0.199566,0.046047,0.754387',
      'c,0.002874,0.827627,0.169500',
      'a,0.260470,0.468997,0.270533',
      'b,0.233239,0.278325,0.488436',
      'c,0.054129,0.766507,0.179364',
      'a,0.266544,0.676026,0.057430',
      'b,0.029198,0.594970,0.375832',
      'c,0.687865,0.148837,0.163298',
      'a,0.682731,0.304451,0.012819',
      'b,0.150998,0.522203,0.326799',
      'c,0.604917,0.003595,0.391487',
    ];
    const file = write(cwd, 'six-decimals.csv', `y,p_a,p_b,p_c\n${rows.join('\n')}\n`);
    const result = await runCli(
      ['metrics', file, '--true', 'y', '--proba-prefix', 'p_', '--bootstrap', '0', '--json'],
      {
        cwd,
      },
    );
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout) as MetricsSummary;
    for (const name of ['roc_auc_ovr', 'roc_auc_ovr_weighted', 'roc_auc_ovo', 'roc_auc_ovo_weighted'])
      expect(summary.metrics[name]?.value, name).toBeCloseTo(0.5208333333333334, 12);
  });

  it('above 100,000 rows takes large-sample intervals for scores and regression, and the matrix bootstrap for the rest', async () => {
    const cwd = freshDir();
    const random = seededRandom(5);
    const rows = ['y,p,s,t,u'];
    for (let i = 0; i < 120_000; i += 1) {
      const y = random() < 0.4 ? 1 : 0;
      const p = random() < 0.85 ? y : 1 - y;
      const s = Math.min(1, Math.max(0, 0.3 + 0.4 * y + (random() - 0.5) * 0.6)).toFixed(4);
      const t = (random() * 100).toFixed(3);
      rows.push(`${y},${p},${s},${t},${(Number(t) + (random() - 0.5) * 10).toFixed(3)}`);
    }
    const file = write(cwd, 'big.csv', `${rows.join('\n')}\n`);
    const labels = JSON.parse(
      (await runCli(['metrics', file, '--true', 'y', '--pred', 'p', '--score', 's', '--json'], { cwd })).stdout,
    ) as MetricsSummary;
    expect(labels.n).toBe(120_000);
    expect(labels.notes.join(' ')).toContain('large-sample intervals');
    for (const name of [
      'roc_auc',
      'average_precision',
      'log_loss',
      'brier_score_loss',
      'expected_calibration_error',
      'f1',
      'matthews_corrcoef',
    ]) {
      const metric = labels.metrics[name];
      const [low, high] = metric?.ci ?? [Number.NaN, Number.NaN];
      expect(low).toBeLessThan(metric?.value ?? Number.NaN);
      expect(high).toBeGreaterThan(metric?.value ?? Number.NaN);
      expect(high - low).toBeLessThan(0.05);
    }
    const values = JSON.parse(
      (await runCli(['metrics', file, '--true', 't', '--pred', 'u', '--json'], { cwd })).stdout,
    ) as MetricsSummary;
    expect(values.task).toBe('regression');
    expect(values.metrics.max_error?.ci).toBeNull();
    const r2 = values.metrics.r2;
    expect(r2?.ci?.[0]).toBeLessThan(r2?.value ?? Number.NaN);
    expect(r2?.ci?.[1]).toBeGreaterThan(r2?.value ?? Number.NaN);
  });

  it('reads Parquet (GLUE WNLI from the shared data)', async () => {
    const file = join(DATA_DIR, 'glue', 'WNLI', 'validation.parquet');
    const result = await runCli(['metrics', file, '--true', 'label', '--pred', 'label', '--bootstrap', '0', '--json']);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as MetricsSummary;
    expect(summary.n).toBe(71);
    expect(summary.confusionMatrix?.counts).toEqual([
      [40, 0],
      [0, 31],
    ]);
  });
});
