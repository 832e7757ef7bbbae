import { comparisonSection, type ReportComparison } from './report-comparison.js';
import { escapeHtml, htmlTable } from './escape.js';
import { page } from './page.js';
import type { ReportedRun } from './reported-run.js';

function summaryTable(runs: readonly ReportedRun[]): string {
  return htmlTable(
    ['run', 'kind', 'target', 'status', 'thresholds'],
    runs.map(({ record, thresholds }) => {
      const failed = thresholds.filter((t) => !t.pass);
      return [
        record.id,
        record.kind,
        record.target.name,
        record.status,
        thresholds.length === 0
          ? '—'
          : failed.length === 0
            ? `all ${thresholds.length} pass`
            : `${failed.length} fail: ${failed.map((t) => t.expr).join('; ')}`,
      ];
    }),
    [4],
  );
}

/** The page's verdict in one line: runs that failed or were cut short, and thresholds that failed. */
function verdictLine(all: readonly ReportedRun[]): string {
  const runs = all.filter((r) => !r.isGroup);
  const unfinished = runs.filter((r) => r.record.status !== 'completed');
  const failing = runs.filter((r) => r.thresholds.some((t) => !t.pass));
  const checked = runs.filter((r) => r.thresholds.length > 0);
  const parts = [
    unfinished.length === 0
      ? `all ${runs.length} runs completed`
      : `${unfinished.length} of ${runs.length} runs did not complete (${unfinished.map((r) => `${r.record.target.name}: ${r.record.status}`).join(', ')})`,
    checked.length === 0
      ? 'no thresholds were set'
      : failing.length === 0
        ? `every threshold passed in the ${checked.length} runs that set any`
        : `thresholds failed in ${failing.length} of ${checked.length} runs (${failing.map((r) => r.record.target.name).join(', ')})`,
  ];
  return `<p><strong>verdict:</strong> ${escapeHtml(parts.join('; '))}.</p>`;
}

function recommendationLines(all: readonly ReportedRun[]): string {
  const lines = all.flatMap((r) => r.recommendations);
  return lines.length === 0 ? '' : `<p><strong>recommendation</strong></p><ul>${lines.join('')}</ul>`;
}

/**
 * One self-contained HTML page for the given runs (a profile run brings its child runs): a summary with threshold
 * verdicts, then each run's section; with `compare`, the comparison of two runs (eval, bench or repeated bench) first.
 */
export function renderReport(runs: readonly ReportedRun[], compare: ReportComparison | null = null): string {
  const all = runs.flatMap((r) => [r, ...r.children]);
  const sections = ['<h2>summary</h2>', verdictLine(all), recommendationLines(all), summaryTable(all)];
  if (compare !== null) sections.push('<h2>comparison</h2>', comparisonSection(compare));
  sections.push(...runs.flatMap((r) => r.groupSections));
  const own = all.flatMap((r) => (r.section === null ? [] : [r.section]));
  if (own.length > 0) sections.push('<h2>runs</h2>', ...own);
  const only = runs.length === 1 ? runs[0] : undefined;
  const title = `yardstick report: ${only?.title ?? runs.map((r) => r.record.id).join(', ')}`;
  const records = runs.map((r) => r.record);
  return page(
    title,
    sections,
    records[0]?.environment ?? null,
    records.length === 1 ? records[0]?.config : records.map((r) => ({ run: r.id, config: r.config })),
  );
}
