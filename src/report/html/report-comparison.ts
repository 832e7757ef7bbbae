import { usageError } from '../../core/errors.js';
import { compareBenchRuns, type BenchComparison } from '../../efficiency/bench-comparison.js';
import { compareRepeatedRuns, type RepeatsComparison } from '../../efficiency/repeats-comparison.js';
import { compareRuns, type CompareJson } from '../../eval/compare.js';
import { storedRunCases } from '../../eval/stored-eval.js';
import { benchPair } from '../../runs/bench-pair.js';
import type { Store } from '../../store/store.js';
import { benchCompareSection, repeatsCompareSection } from './bench-compare-section.js';
import { compareSection } from './compare-section.js';

/** A comparison a report can show: of two eval runs, two bench runs, or two repeated benches. */
export type ReportComparison =
  | { kind: 'eval'; result: CompareJson }
  | { kind: 'bench'; result: BenchComparison }
  | { kind: 'repeats'; result: RepeatsComparison };

/**
 * Runs A and B compared as `yardstick compare` compares them (α 0.05, 2,000 seeded resamples): two bench runs, two
 * repeated benches, or two eval runs case by case; exit 2 for an unknown id or runs that cannot be compared.
 */
export async function comparisonOf(store: Store, a: string, b: string, use: string): Promise<ReportComparison> {
  const options = { alpha: 0.05, resamples: 2000, seed: 1 };
  const bench = await benchPair(store, a, b);
  if (bench?.kind === 'bench')
    return { kind: 'bench', result: compareBenchRuns(bench.runs[0], bench.runs[1], options) };
  if (bench?.kind === 'repeats')
    return { kind: 'repeats', result: compareRepeatedRuns(bench.runs[0], bench.runs[1], options.alpha) };
  const cases = async (id: string) => {
    const record = await store.getRun(id);
    if (record === null)
      throw usageError('RUN_NOT_FOUND', `no run with id '${id}' in the store`, 'list runs with `yardstick runs list`');
    return storedRunCases(store, record, use);
  };
  return { kind: 'eval', result: compareRuns(await cases(a), await cases(b), { ...options, intersect: false }) };
}

/** The comparison's section of the report. */
export function comparisonSection(comparison: ReportComparison): string {
  switch (comparison.kind) {
    case 'eval':
      return compareSection(comparison.result);
    case 'bench':
      return benchCompareSection(comparison.result);
    case 'repeats':
      return repeatsCompareSection(comparison.result);
  }
}
