import type { ThresholdResult } from '../core/types.js';

/** The threshold verdicts of a run, one line each, under a heading; nothing when the run set none. */
export function thresholdLines(results: readonly ThresholdResult[]): string[] {
  if (results.length === 0) return [];
  return [
    '',
    'thresholds:',
    ...results.map(
      (t) =>
        `  ${t.pass ? '✓' : '✗'} ${t.expr}  (measured ${t.value === null ? 'nothing' : Number(t.value.toPrecision(4))})`,
    ),
  ];
}
