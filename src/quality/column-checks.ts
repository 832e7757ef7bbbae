import type { ColumnAccumulator } from '../data/column-accumulator.js';
import type { ColumnType } from '../data/column-types.js';
import { sortFloat64 } from '../stats/sort-float64.js';
import { quantile } from '../stats/bootstrap.js';
import { finding, percent, type Finding } from './finding.js';

/** What a data check reports about one column. */
export interface ColumnProfile {
  name: string;
  type: ColumnType;
  rows: number;
  missing: number;
  distinct: number;
  /** Share of the non-missing values taken by the most common one. */
  topShare: number | null;
  numeric: {
    min: number;
    q1: number;
    median: number;
    q3: number;
    max: number;
    iqrOutliers: number;
    robustZOutliers: number;
  } | null;
  /** Words per value for text columns. */
  textLength: { min: number; median: number; p95: number; max: number; empty: number } | null;
}

/** A value counts as a robust-z outlier beyond this |0.6745·(x − median)/MAD| (Iglewicz & Hoaglin). */
const ROBUST_Z = 3.5;

function numericProfile(sorted: Float64Array): ColumnProfile['numeric'] {
  const q1 = quantile(sorted, 0.25);
  const median = quantile(sorted, 0.5);
  const q3 = quantile(sorted, 0.75);
  const iqr = q3 - q1;
  const deviations = new Float64Array(sorted.length);
  for (let i = 0; i < sorted.length; i += 1) deviations[i] = Math.abs((sorted[i] as number) - median);
  sortFloat64(deviations);
  const mad = quantile(deviations, 0.5);
  let iqrOutliers = 0;
  let robustZOutliers = 0;
  for (const v of sorted) {
    if (v < q1 - 1.5 * iqr || v > q3 + 1.5 * iqr) iqrOutliers += 1;
    if (mad > 0 && Math.abs((0.6745 * (v - median)) / mad) > ROBUST_Z) robustZOutliers += 1;
  }
  return {
    min: sorted[0] as number,
    q1,
    median,
    q3,
    max: sorted[sorted.length - 1] as number,
    iqrOutliers,
    robustZOutliers,
  };
}

function words(text: string): number {
  const t = text.trim();
  return t === '' ? 0 : t.split(/\s+/).length;
}

/** Profiles one column and turns what stands out into findings: missing values, constant columns, identifiers, outliers, scale, text lengths. */
export function checkColumn(
  name: string,
  column: ColumnAccumulator,
  type: ColumnType,
  mixedShare: number | null,
): { profile: ColumnProfile; findings: Finding[] } {
  const findings: Finding[] = [];
  const present = column.rows - column.missing;
  const counts = type === 'numeric' || type === 'datetime' ? null : column.valueCounts();
  const numbers = type === 'numeric' ? sortFloat64(column.numbers()) : null;
  let distinct: number;
  let top = 0;
  if (counts !== null) {
    distinct = counts.size;
    for (const n of counts.values()) top = Math.max(top, n);
  } else {
    const values = numbers ?? sortFloat64(Float64Array.from(column.texts().map((t) => Date.parse(t))));
    distinct = 0;
    let run = 0;
    for (let i = 0; i < values.length; i += 1) {
      if (i === 0 || values[i] !== values[i - 1]) {
        distinct += 1;
        run = 0;
      }
      run += 1;
      top = Math.max(top, run);
    }
  }
  const profile: ColumnProfile = {
    name,
    type,
    rows: column.rows,
    missing: column.missing,
    distinct,
    topShare: present === 0 ? null : top / present,
    numeric: null,
    textLength: null,
  };
  const missingShare = column.rows === 0 ? 0 : column.missing / column.rows;
  if (present === 0)
    findings.push(
      finding(
        'error',
        'missing',
        name,
        `every value of '${name}' is missing`,
        'the column carries nothing: drop it, or fix the export that lost it',
      ),
    );
  else if (missingShare > 0) {
    findings.push(
      finding(
        missingShare > 0.2 ? 'warning' : 'info',
        'missing',
        name,
        `${percent(missingShare)} of '${name}' is missing (${column.missing} of ${column.rows})`,
        'models handle missing values differently (dropped rows, imputed means); if missingness is not random it biases accuracy: impute deliberately, or add a "missing" indicator',
        { missing: column.missing, share: missingShare },
      ),
    );
  }
  if (mixedShare !== null)
    findings.push(
      finding(
        'warning',
        'mixed-types',
        name,
        `'${name}' mixes types: ${percent(mixedShare)} of its values are numbers, the rest text`,
        'a few text values in a numeric column (e.g. "n/a", "unknown") turn it categorical for most tools: clean them or declare them missing',
        { numericShare: mixedShare },
      ),
    );
  if (present > 0 && distinct === 1)
    findings.push(
      finding(
        'warning',
        'constant',
        name,
        `'${name}' has a single value`,
        'a constant column carries no information and can break scaling (zero variance): drop it',
      ),
    );
  else if (profile.topShare !== null && profile.topShare >= 0.99 && present >= 100)
    findings.push(
      finding(
        'info',
        'near-constant',
        name,
        `${percent(profile.topShare)} of '${name}' is one value`,
        'almost no information; rare values may be errors, or the signal a model will overfit: check them',
        { topShare: profile.topShare },
      ),
    );
  if (type === 'categorical' && present >= 20 && distinct / present > 0.9) {
    findings.push(
      finding(
        'warning',
        'identifier',
        name,
        `'${name}' has ${distinct} distinct values in ${present} rows: it looks like an identifier`,
        'a model can memorize ids and look accurate on rows it has seen; exclude identifiers from the features',
        { distinct },
      ),
    );
  } else if (type === 'categorical' && distinct > 100) {
    findings.push(
      finding(
        'info',
        'high-cardinality',
        name,
        `'${name}' has ${distinct} categories`,
        'one-hot encoding it makes many sparse features and rare categories are learnt poorly: group rare ones, or use target / frequency encoding',
        { distinct },
      ),
    );
  }
  if (numbers !== null && numbers.length > 0) {
    const numeric = numericProfile(numbers);
    profile.numeric = numeric;
    if (numeric !== null && numeric.iqrOutliers > 0) {
      const share = numeric.iqrOutliers / numbers.length;
      findings.push(
        finding(
          share > 0.05 ? 'warning' : 'info',
          'outliers',
          name,
          `'${name}': ${numeric.iqrOutliers} values (${percent(share)}) outside the IQR fences [${(numeric.q1 - 1.5 * (numeric.q3 - numeric.q1)).toPrecision(4)}, ${(numeric.q3 + 1.5 * (numeric.q3 - numeric.q1)).toPrecision(4)}]; ${numeric.robustZOutliers} with a robust z-score above ${ROBUST_Z}`,
          'outliers pull means, scales and squared-error fits: check whether they are errors (fix or drop) or real (use robust scaling or a robust loss)',
          { iqrOutliers: numeric.iqrOutliers, robustZOutliers: numeric.robustZOutliers },
        ),
      );
    }
    const positive = numbers.find((v) => v > 0);
    if (numeric !== null && positive !== undefined && numeric.max > 0) {
      const orders = Math.log10(numeric.max / positive);
      if (orders >= 4)
        findings.push(
          finding(
            'info',
            'scale',
            name,
            `'${name}' spans ${Math.floor(orders)} orders of magnitude (${positive.toPrecision(3)} to ${numeric.max.toPrecision(3)})`,
            'scale it (log or robust scaling) before distance-based models (k-NN, SVM) and gradient methods',
            { orders },
          ),
        );
    }
  }
  if (type === 'text') {
    const lengths = sortFloat64(Float64Array.from(column.texts(), words));
    const empty = lengths.filter((n) => n === 0).length;
    profile.textLength = {
      min: lengths[0] ?? 0,
      median: quantile(lengths, 0.5),
      p95: quantile(lengths, 0.95),
      max: lengths[lengths.length - 1] ?? 0,
      empty,
    };
    if (profile.textLength.max > 20 * Math.max(1, profile.textLength.median))
      findings.push(
        finding(
          'info',
          'text-length',
          name,
          `'${name}' has texts up to ${profile.textLength.max} words, the median is ${profile.textLength.median}`,
          'very long inputs are truncated by most models and context windows: check how they are cut',
          { max: profile.textLength.max, median: profile.textLength.median },
        ),
      );
  }
  return { profile, findings };
}
