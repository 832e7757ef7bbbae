import type { CaseResult } from '../eval/case-result.js';

/** One CSV cell: text quoted when it holds a comma, quote or line break; objects as JSON; nothing for null. */
export function csvCell(value: unknown): string {
  const text =
    value === null || value === undefined
      ? ''
      : typeof value === 'string'
        ? value
        : typeof value === 'number' || typeof value === 'boolean'
          ? String(value)
          : JSON.stringify(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV row per case and repeat: ids, outcome, each scorer's value, timings, tokens, cost, output. */
export function casesCsv(results: readonly CaseResult[]): string {
  const scorerNames = [...new Set(results.flatMap((r) => Object.keys(r.scores)))];
  const header = [
    'case_id',
    'repeat',
    'status',
    'pass',
    'score',
    ...scorerNames.map((n) => `score_${n}`),
    'label',
    'expected',
    'error',
    'attempts',
    'cached',
    'e2e_ms',
    'ttft_ms',
    'tokens_in',
    'tokens_out',
    'cost',
    'tags',
    'output',
  ];
  const rows = results.map((r) => [
    r.caseId,
    r.repeat,
    r.status,
    r.pass,
    r.score,
    ...scorerNames.map((n) => r.scores[n]?.value ?? null),
    r.label,
    r.expected.join(' | '),
    r.error === null ? '' : `${r.error.category}: ${r.error.message}`,
    r.attempts,
    r.cached,
    r.e2eMs,
    r.ttftMs,
    r.tokensIn,
    r.tokensOut,
    r.cost,
    r.tags.join(','),
    r.output,
  ]);
  return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\n') + '\n';
}
