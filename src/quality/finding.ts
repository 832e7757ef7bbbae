/** How much a finding matters: `error` will distort accuracy, `warning` probably does, `info` is worth knowing. */
export type Severity = 'error' | 'warning' | 'info';

/** One result of a data check, written for the person who has to act on it. */
export interface Finding {
  severity: Severity;
  /** The check's name: `missing`, `constant`, `outliers`, `duplicates`, `leakage`… */
  check: string;
  /** The column concerned; null for findings about the dataset or the splits. */
  column: string | null;
  /** What was found, with the numbers. */
  message: string;
  /** Why it matters for accuracy, and what to do. */
  advice: string;
  details: Record<string, number | string | null>;
}

export function finding(
  severity: Severity,
  check: string,
  column: string | null,
  message: string,
  advice: string,
  details: Finding['details'] = {},
): Finding {
  return { severity, check, column, message, advice, details };
}

export const SEVERITY_ORDER: Readonly<Record<Severity, number>> = { error: 0, warning: 1, info: 2 };

export function percent(share: number): string {
  return `${(share * 100).toFixed(share < 0.001 ? 3 : 1)}%`;
}
