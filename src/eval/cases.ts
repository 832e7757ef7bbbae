import type { SourceRecord } from '../data/read-records.js';
import { usageError, type Problem } from '../core/errors.js';
import { asText } from './template.js';

/** One case of a suite: a row of the dataset with its id, expected answer, tags and weight. */
export interface EvalCase {
  id: string;
  /** Position in the dataset, from 0 (a robustness copy's lies past them all: it also names the request). */
  index: number;
  /** Where the row came from, e.g. `data.csv:12`, for error messages. */
  where: string;
  vars: Record<string, unknown>;
  /** Accepted answers (a list column gives several); empty when the suite has no expected column. */
  expected: string[];
  tags: string[];
  weight: number;
}

export interface CaseColumns {
  idColumn: string | undefined;
  expectedColumn: string;
  tagsColumn: string;
  weightColumn: string;
}

function tagsOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(asText).filter((t) => t !== '');
  if (value === undefined || value === null) return [];
  return asText(value)
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
}

function expectedOf(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.map(asText);
  return [asText(value)];
}

/**
 * Turns dataset rows into cases. Ids come from the id column (default `id` when every row has one) or the row
 * number; duplicate ids and bad weights are reported together, each with its file:line.
 */
export function casesFromRecords(records: readonly SourceRecord[], source: string, columns: CaseColumns): EvalCase[] {
  const idColumn =
    columns.idColumn ?? (records.every((r) => r.fields.id !== undefined && r.fields.id !== '') ? 'id' : undefined);
  const problems: Problem[] = [];
  const seen = new Map<string, string>();
  const cases = records.map((record, index): EvalCase => {
    const where = `${source}:${record.line}`;
    const rawId = idColumn === undefined ? String(index + 1) : asText(record.fields[idColumn]);
    if (idColumn !== undefined && rawId === '')
      problems.push({
        where,
        field: idColumn,
        message: 'the case has no id',
        hint: `give every row a value in '${idColumn}', or leave idColumn out to number the rows`,
      });
    const earlier = seen.get(rawId);
    if (earlier !== undefined)
      problems.push({
        where,
        field: idColumn ?? 'id',
        message: `duplicate case id '${rawId}' (first at ${earlier})`,
        hint: 'case ids must be unique: runs are compared and resumed by id',
      });
    seen.set(rawId, where);
    const weightValue = record.fields[columns.weightColumn];
    const weight = weightValue === undefined || weightValue === '' ? 1 : Number(weightValue);
    if (!Number.isFinite(weight) || weight < 0)
      problems.push({
        where,
        field: columns.weightColumn,
        message: `weight '${asText(weightValue)}' is not a non-negative number`,
      });
    return {
      id: rawId,
      index,
      where,
      vars: record.fields,
      expected: expectedOf(record.fields[columns.expectedColumn]),
      tags: tagsOf(record.fields[columns.tagsColumn]),
      weight: Number.isFinite(weight) ? weight : 1,
    };
  });
  if (problems.length > 0) {
    throw usageError(
      'DATA_INVALID',
      `${source} has ${problems.length} problem${problems.length === 1 ? '' : 's'} with its cases`,
      'fix each row listed above',
      problems.slice(0, 20),
    );
  }
  return cases;
}
