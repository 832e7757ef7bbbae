import {
  evaluateWith,
  isOneOf,
  numericThresholdParts,
  type Comparison,
  type Parsed,
} from '../core/threshold-grammar.js';
import type { ThresholdResult } from '../core/types.js';
import type { Finding } from './finding.js';

const COUNTS = ['errors', 'warnings', 'infos', 'findings'] as const;
type Count = (typeof COUNTS)[number];

/** A pass/fail rule on a data check: on the findings by severity (`errors < 1`) or of one check (`findings(duplicates) < 1`). */
export type DataCheckThreshold =
  | { expr: string; kind: 'count'; name: Count; op: Comparison; limit: number }
  | { expr: string; kind: 'check'; check: string; op: Comparison; limit: number };

/** Parses a data check threshold (the grammar of core/threshold-grammar.ts). */
export function parseDataCheckThreshold(expr: string): Parsed<DataCheckThreshold> {
  const hint = "write e.g. 'errors < 1', 'warnings <= 3', 'findings(duplicates) < 1'";
  const parts = numericThresholdParts(expr, hint);
  if (!parts.ok) return parts;
  const { fn, name, op, limit } = parts.value;
  if (fn === null) {
    if (!isOneOf(COUNTS, name))
      return {
        ok: false,
        message: `unknown count '${name}' in '${expr}'`,
        hint: `counts: ${COUNTS.join(', ')}, or findings(check)`,
      };
    return { ok: true, value: { expr: parts.value.expr, kind: 'count', name, op, limit } };
  }
  if (fn !== 'findings')
    return {
      ok: false,
      message: `unknown function '${fn}' in '${expr}'`,
      hint: "count one check's findings with findings(check)",
    };
  return { ok: true, value: { expr: parts.value.expr, kind: 'check', check: name, op, limit } };
}

/** Evaluates data check thresholds on its findings; a check that found nothing counts 0. */
export function evaluateDataCheckThresholds(
  thresholds: readonly DataCheckThreshold[],
  findings: readonly Finding[],
): ThresholdResult[] {
  const severity = { errors: 'error', warnings: 'warning', infos: 'info' } as const;
  return evaluateWith(thresholds, (t) => {
    if (t.kind === 'check') return findings.filter((f) => f.check === t.check).length;
    const name = t.name;
    if (name === 'findings') return findings.length;
    return findings.filter((f) => f.severity === severity[name]).length;
  });
}
