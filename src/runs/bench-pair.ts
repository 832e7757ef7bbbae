import { usageError } from '../core/errors.js';
import type { BenchJson } from '../efficiency/bench-json.js';
import { benchRepeatsRunOf, type BenchRepeatsJson } from '../efficiency/bench-repeats.js';
import { benchRunOf } from '../efficiency/stored-bench.js';
import type { StoredRun } from '../store/run-record.js';
import type { Store } from '../store/store.js';

/** Two bench runs, or two repeated benches. */
export type BenchPair =
  { kind: 'bench'; runs: [BenchJson, BenchJson] } | { kind: 'repeats'; runs: [BenchRepeatsJson, BenchRepeatsJson] };

/**
 * The two runs as a pair of bench runs or of repeated benches; null when neither is a bench (eval runs); a usage
 * error for an unknown id or a bench beside a run of another kind.
 */
export async function benchPair(store: Store, a: string, b: string): Promise<BenchPair | null> {
  const records: StoredRun[] = [];
  for (const id of [a, b]) {
    const record = await store.getRun(id);
    if (record === null)
      throw usageError('RUN_NOT_FOUND', `no run with id '${id}' in the store`, 'list runs with `yardstick runs list`');
    records.push(record);
  }
  const [first, second] = records.map((record) => benchRunOf(record)?.summary ?? null);
  if (first !== null && first !== undefined && second !== null && second !== undefined)
    return { kind: 'bench', runs: [first, second] };
  const [firstRepeats, secondRepeats] = records.map((record) => benchRepeatsRunOf(record)?.summary ?? null);
  if (firstRepeats !== null && firstRepeats !== undefined && secondRepeats !== null && secondRepeats !== undefined)
    return { kind: 'repeats', runs: [firstRepeats, secondRepeats] };
  const benchKinds = ['bench', 'bench-repeats'];
  if (records.some((record) => benchKinds.includes(record.kind)))
    throw usageError(
      'RUN_KIND_MISMATCH',
      `${a} and ${b} are not runs of the same kind (${records.map((r) => r.kind).join(' and ')})`,
      'compare two eval runs, two bench runs, or two repeated benches (bench --repeats)',
    );
  return null;
}
