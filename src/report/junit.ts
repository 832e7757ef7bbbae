import type { CaseResult } from '../eval/case-result.js';
import type { EvalJson } from '../eval/eval-summary.js';

function escapeXml(text: string): string {
  // Characters XML 1.0 cannot hold at all are dropped; the markup characters are escaped.
  return (
    text
      // eslint-disable-next-line no-control-regex
      .replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
      .replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c)
  );
}

/**
 * JUnit XML for CI systems: one testsuite per run, one testcase per case and repeat; a failed request is an
 * `<error>`, a failing score a `<failure>`, an unscored case `<skipped>`. Thresholds are testcases too.
 */
export function renderJunit(summary: EvalJson, results: readonly CaseResult[]): string {
  const lines: string[] = [];
  const failures =
    results.filter((r) => r.status === 'ok' && r.pass === false).length +
    summary.thresholds.filter((t) => !t.pass).length;
  const errors = results.filter((r) => r.status === 'error').length;
  const skipped = results.filter((r) => r.status === 'ok' && r.pass === null).length;
  const seconds = (ms: number | null): string => ((ms ?? 0) / 1000).toFixed(3);
  lines.push('<?xml version="1.0" encoding="UTF-8"?>');
  lines.push(
    `<testsuites name="yardstick eval" tests="${results.length + summary.thresholds.length}" failures="${failures}" errors="${errors}" skipped="${skipped}">`,
  );
  lines.push(
    `  <testsuite name="${escapeXml(`${summary.suite} / ${summary.target.name}`)}" tests="${results.length + summary.thresholds.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" timestamp="${new Date().toISOString()}">`,
  );
  lines.push(`    <properties><property name="runId" value="${escapeXml(summary.runId)}"/></properties>`);
  for (const r of results) {
    const name = summary.repeats > 1 ? `${r.caseId} #${r.repeat + 1}` : r.caseId;
    lines.push(
      `    <testcase classname="${escapeXml(summary.suite)}" name="${escapeXml(name)}" time="${seconds(r.e2eMs)}">`,
    );
    if (r.status === 'error')
      lines.push(
        `      <error type="${r.error?.category ?? 'error'}" message="${escapeXml(r.error?.message ?? '')}"/>`,
      );
    else if (r.pass === false) {
      const reasons = Object.entries(r.scores)
        .filter(([, s]) => s.pass === false)
        .map(([n, s]) => `${n}: ${s.explanation}`)
        .join('; ');
      lines.push(
        `      <failure message="${escapeXml(reasons)}">${escapeXml(`expected: ${r.expected.join(' | ')}\noutput: ${r.output}`)}</failure>`,
      );
    } else if (r.pass === null) lines.push('      <skipped message="no scorer could score this case"/>');
    lines.push('    </testcase>');
  }
  for (const t of summary.thresholds) {
    lines.push(
      `    <testcase classname="${escapeXml(summary.suite)}.thresholds" name="${escapeXml(t.expr)}" time="0">`,
    );
    if (!t.pass)
      lines.push(
        `      <failure message="${escapeXml(`measured ${t.value === null ? 'nothing' : String(t.value)}`)}"/>`,
      );
    lines.push('    </testcase>');
  }
  lines.push('  </testsuite>', '</testsuites>', '');
  return lines.join('\n');
}
