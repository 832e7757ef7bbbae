import { columnDrift, defaultTest, DEFAULT_THRESHOLDS } from '../drift/column-drift.js';
import { ColumnAccumulator } from '../data/column-accumulator.js';
import { distinctUpTo, inferType, sideValues } from '../data/column-types.js';
import { partSize, rowAt, type DataPart } from './dataset-checks.js';
import { finding, percent, type Finding } from './finding.js';
import { RowHasher } from './row-hash.js';

/** A part's values of one column as a column of their own (a split column's rows, or a whole file); built once per part and column. */
function partColumn(
  part: DataPart,
  name: string,
  built: Map<DataPart, Map<string, ColumnAccumulator>>,
): ColumnAccumulator | null {
  const column = part.table.columns.get(name);
  if (column === undefined) return null;
  if (part.rows === null) return column;
  const own = built.get(part) ?? new Map<string, ColumnAccumulator>();
  built.set(part, own);
  const known = own.get(name);
  if (known !== undefined) return known;
  const subset = new ColumnAccumulator();
  for (const row of part.rows) {
    const number = column.numberAt(row);
    subset.add(Number.isNaN(number) ? (column.textAt(row) ?? undefined) : number);
  }
  own.set(name, subset);
  return subset;
}

/** Inputs of `test` that also occur in `train` (same values in every input column). */
function leakedRows(train: DataPart, test: DataPart, inputs: readonly string[]): number {
  const trainHasher = new RowHasher(inputs.map((n) => train.table.columns.get(n) as ColumnAccumulator));
  const testHasher = new RowHasher(inputs.map((n) => test.table.columns.get(n) as ColumnAccumulator));
  const seen = new Map<number, number[]>();
  for (let k = 0; k < partSize(train); k += 1) {
    const row = rowAt(train, k);
    const h = trainHasher.hash(row);
    const list = seen.get(h);
    if (list === undefined) seen.set(h, [row]);
    else list.push(row);
  }
  let leaked = 0;
  for (let k = 0; k < partSize(test); k += 1) {
    const row = rowAt(test, k);
    const candidates = seen.get(testHasher.hash(row));
    if (candidates?.some((c) => testHasher.sameRow(row, trainHasher, c)) === true) leaked += 1;
  }
  return leaked;
}

/** Train against each other part: sizes, leakage, categories unseen in training, and drift of every column (labels included). */
export function checkSplits(parts: readonly DataPart[], inputs: readonly string[], label: string | null): Finding[] {
  const findings: Finding[] = [];
  const total = parts.reduce((s, p) => s + partSize(p), 0);
  findings.push(
    finding(
      'info',
      'split-sizes',
      null,
      `split sizes: ${parts.map((p) => `${p.name} ${partSize(p)} (${percent(partSize(p) / total)})`).join(', ')}`,
      'each evaluated split needs enough rows for a tight interval (about 400 for ±5% on an accuracy near 50%)',
      Object.fromEntries(parts.map((p) => [p.name, partSize(p)])),
    ),
  );
  const [train, ...others] = parts;
  if (train === undefined) return findings;
  const built = new Map<DataPart, Map<string, ColumnAccumulator>>();
  for (const other of others) {
    const size = partSize(other);
    if (size < 100)
      findings.push(
        finding(
          'warning',
          'split-size',
          null,
          `${other.name} has only ${size} rows`,
          `accuracy measured on ${size} cases has a 95% interval up to ±${percent(1.96 * Math.sqrt(0.25 / Math.max(1, size)))} wide: collect more, or use cross-validation`,
          { rows: size },
        ),
      );
    const leaked = leakedRows(train, other, inputs);
    if (leaked > 0)
      findings.push(
        finding(
          'error',
          'leakage',
          null,
          `${leaked} rows of ${other.name} (${percent(leaked / size)}) have the same inputs as a row of ${train.name}`,
          `the model has seen these answers: accuracy on ${other.name} is inflated. Remove them from one side, or split by a group key (user, document, patient)`,
          { rows: leaked, share: leaked / size },
        ),
      );
    for (const name of [...inputs, ...(label === null ? [] : [label])]) {
      const a = partColumn(train, name, built);
      const b = partColumn(other, name, built);
      if (a === null || b === null) continue;
      const { type } = inferType([a, b]);
      const ref = sideValues(a, type);
      const cur = sideValues(b, type);
      if (ref.size === 0 || cur.size === 0) continue;
      if (type === 'categorical' || type === 'boolean') {
        const unseen = [...cur.counts.keys()].filter((k) => !ref.counts.has(k));
        if (unseen.length > 0) {
          const rows = unseen.reduce((s, k) => s + (cur.counts.get(k) ?? 0), 0);
          findings.push(
            finding(
              'warning',
              'new-categories',
              name,
              `'${name}' has ${unseen.length} values in ${other.name} never seen in ${train.name} (${rows} rows), e.g. ${unseen
                .slice(0, 3)
                .map((u) => `'${u}'`)
                .join(', ')}`,
              'a model has learnt nothing about these values; encoders may fail or map them to a default: add examples to training or group rare values',
              { values: unseen.length, rows },
            ),
          );
        }
      }
      if (type === 'text') continue;
      const distinct = type === 'numeric' || type === 'datetime' ? distinctUpTo(ref.numbers, 6) : ref.counts.size;
      const test = defaultTest(type, ref.size, distinct);
      try {
        const drift = columnDrift(ref, cur, type, test, DEFAULT_THRESHOLDS[test]);
        if (drift.drifted) {
          const isLabel = name === label;
          findings.push(
            finding(
              isLabel ? 'warning' : 'info',
              isLabel ? 'label-drift' : 'feature-drift',
              name,
              `'${name}' is distributed differently in ${other.name} than in ${train.name} (${test} ${drift.statistic.toPrecision(3)}${drift.pValue === null ? '' : `, p ${drift.pValue.toPrecision(2)}`}, effect ${drift.effectSize.toPrecision(3)})`,
              isLabel
                ? 'the class mix differs between splits: accuracy on one does not carry over to the other; stratify the split'
                : 'the splits do not come from the same distribution: accuracy measured on one may not hold on the other; check how the split was made',
              { statistic: drift.statistic, pValue: drift.pValue, effectSize: drift.effectSize },
            ),
          );
        }
      } catch {
        // A column the test cannot take (e.g. constant) has nothing to compare.
      }
    }
  }
  return findings;
}
