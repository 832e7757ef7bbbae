import type { BenchComparison } from '../../efficiency/bench-comparison.js';
import type { RepeatsComparison } from '../../efficiency/repeats-comparison.js';
import type { CompareJson } from '../../eval/compare.js';
import { benchCompareSection, repeatsCompareSection } from './bench-compare-section.js';
import { compareSection } from './compare-section.js';

/** A comparison a report can show: of two eval runs, two bench runs, or two repeated benches. */
export type ReportComparison =
  | { kind: 'eval'; result: CompareJson }
  | { kind: 'bench'; result: BenchComparison }
  | { kind: 'repeats'; result: RepeatsComparison };

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
