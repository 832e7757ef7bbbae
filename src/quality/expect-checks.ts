import { usageError } from '../core/errors.js';
import { chiSquareGoodnessOfFit } from '../stats/distribution-tests.js';
import type { ColumnAccumulator } from '../data/column-accumulator.js';
import { finding, percent, type Finding } from './finding.js';

/** `--expect COL=value:share,…`: the share each subgroup should have. */
export interface Expectation {
  column: string;
  shares: Map<string, number>;
}

/** Below this many rows a subgroup's accuracy has a 95% interval wider than about ±10 points. */
export const SMALL_GROUP = 100;

/** Parses `COL=value:share,value:share`; shares are fractions or percentages and must not sum above 1. */
export function parseExpectation(spec: string): Expectation {
  const eq = spec.indexOf('=');
  const column = eq > 0 ? spec.slice(0, eq) : '';
  const shares = new Map<string, number>();
  const fail = (why: string): never => {
    throw usageError(
      'FLAG_INVALID',
      `--expect '${spec}': ${why}`,
      "write COLUMN=value:share,… e.g. --expect 'region=EU:0.4,US:0.35,APAC:25%'",
    );
  };
  if (column === '') fail('no column before =');
  for (const part of spec.slice(eq + 1).split(',')) {
    const colon = part.lastIndexOf(':');
    if (colon <= 0) fail(`'${part}' is not value:share`);
    const text = part.slice(colon + 1).trim();
    const share = text.endsWith('%') ? Number(text.slice(0, -1)) / 100 : Number(text);
    if (!(share > 0 && share <= 1)) fail(`share '${text}' is not between 0 and 1`);
    shares.set(part.slice(0, colon).trim(), share);
  }
  const total = [...shares.values()].reduce((a, b) => a + b, 0);
  if (total > 1 + 1e-9) fail(`the shares sum to ${total.toFixed(3)}, more than 1`);
  return { column, shares };
}

/**
 * Compares subgroup shares with the declared ones (chi-square goodness of fit; values not listed form an "other"
 * group with the remaining share) and flags subgroups too small to evaluate on.
 */
export function checkExpectation(expectation: Expectation, column: ColumnAccumulator | undefined): Finding[] {
  const name = expectation.column;
  if (column === undefined)
    return [
      finding(
        'error',
        'representativeness',
        name,
        `--expect names '${name}', which is not a column`,
        'check the column name',
      ),
    ];
  const counts = column.valueCounts();
  const n = [...counts.values()].reduce((a, b) => a + b, 0);
  if (n === 0)
    return [
      finding(
        'error',
        'representativeness',
        name,
        `'${name}' has no values to compare with --expect`,
        'fill the column or drop the expectation',
      ),
    ];
  const listed = [...expectation.shares.keys()];
  const observed = listed.map((v) => counts.get(v) ?? 0);
  const expected = listed.map((v) => (expectation.shares.get(v) ?? 0) * n);
  const rest = 1 - [...expectation.shares.values()].reduce((a, b) => a + b, 0);
  const otherObserved = n - observed.reduce((a, b) => a + b, 0);
  if (rest > 1e-9) {
    observed.push(otherObserved);
    expected.push(rest * n);
  }
  const findings: Finding[] = [];
  if (observed.length >= 2) {
    const test = chiSquareGoodnessOfFit(observed, expected);
    const cohensW = Math.sqrt(test.statistic / n);
    const gaps = listed
      .map((v, i) => `${v} ${percent((observed[i] ?? 0) / n)} (expected ${percent(expectation.shares.get(v) ?? 0)})`)
      .join(', ');
    const off = test.pValue < 0.05 && cohensW >= 0.1;
    findings.push(
      finding(
        off ? 'warning' : 'info',
        'representativeness',
        name,
        `'${name}' shares: ${gaps}; chi-square ${test.statistic.toPrecision(4)}, df ${test.df}, p ${test.pValue.toPrecision(3)}, Cohen's w ${cohensW.toPrecision(3)}`,
        off
          ? 'the data does not represent the population you declared: overall accuracy weights groups as the data does; reweight, resample, or report per group'
          : 'the subgroup shares match the declared ones',
        { statistic: test.statistic, pValue: test.pValue, cohensW },
      ),
    );
  }
  for (const [i, value] of listed.entries()) {
    const count = observed[i] ?? 0;
    if (count < SMALL_GROUP)
      findings.push(
        finding(
          'warning',
          'small-group',
          name,
          `'${name}' = '${value}' has ${count} rows`,
          `accuracy on this group would have a 95% interval of about ±${percent(1.96 * Math.sqrt(0.25 / Math.max(1, count)))}: too wide to tell how the model does on it; collect at least ${SMALL_GROUP}`,
          { rows: count },
        ),
      );
  }
  return findings;
}
