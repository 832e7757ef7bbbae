import type { CaseResult } from '../../eval/case-result.js';
import type { CompareJson } from '../../eval/compare.js';
import type { EvalJson } from '../../eval/eval-summary.js';
import type { ProfileJson } from '../../runs/profile-json.js';
import type { RunRecord } from '../../store/run-record.js';
import type { Store } from '../../store/store.js';
import type { BenchJson } from '../../efficiency/bench-json.js';
import { benchSection } from './bench-section.js';
import { compareSection } from './compare-section.js';
import { evalSection } from './eval-section.js';
import { metricsSection } from './metrics-section.js';
import type { MetricsJson } from '../../runs/metrics-run.js';
import { cellNumber, escapeHtml, htmlTable } from './escape.js';
import { page } from './page.js';
import { tradeoffSection } from './tradeoff-section.js';

function thresholdsOf(record: RunRecord): { expr: string; pass: boolean }[] {
  const summary = record.summary as { thresholds?: { expr: string; pass: boolean }[] } | null;
  return summary?.thresholds ?? [];
}

function summaryTable(records: readonly RunRecord[]): string {
  return htmlTable(
    ['run', 'kind', 'target', 'status', 'thresholds'],
    records.map((r) => {
      const thresholds = thresholdsOf(r);
      const failed = thresholds.filter((t) => !t.pass);
      return [
        r.id,
        r.kind,
        r.target.name,
        r.status,
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
function verdictLine(records: readonly RunRecord[]): string {
  const runs = records.filter((r) => r.kind !== 'profile');
  const unfinished = runs.filter((r) => r.status !== 'completed');
  const failing = runs.filter((r) => thresholdsOf(r).some((t) => !t.pass));
  const checked = runs.filter((r) => thresholdsOf(r).length > 0);
  const parts = [
    unfinished.length === 0
      ? `all ${runs.length} runs completed`
      : `${unfinished.length} of ${runs.length} runs did not complete (${unfinished.map((r) => `${r.target.name}: ${r.status}`).join(', ')})`,
    checked.length === 0
      ? 'no thresholds were set'
      : failing.length === 0
        ? `every threshold passed in the ${checked.length} runs that set any`
        : `thresholds failed in ${failing.length} of ${checked.length} runs (${failing.map((r) => r.target.name).join(', ')})`,
  ];
  return `<p><strong>verdict:</strong> ${escapeHtml(parts.join('; '))}.</p>`;
}

/** Each suite's recommended target, from a profile run's tradeoffs. */
function recommendationLines(records: readonly RunRecord[]): string {
  const lines = records
    .filter((r) => r.kind === 'profile' && r.summary !== null)
    .flatMap((r) => (r.summary as ProfileJson).tradeoffs)
    .map((t) => {
      const rec = t.tradeoff?.recommendation ?? null;
      if (rec === null)
        return `<li>${escapeHtml(t.suite)}: no recommendation (${escapeHtml(t.note ?? 'no target met every constraint')})</li>`;
      const overlap =
        rec.overlapsWith.length === 0
          ? ''
          : `; its accuracy interval overlaps ${rec.overlapsWith.join(', ')}, so the data cannot tell which is more accurate`;
      return `<li>${escapeHtml(t.suite)}: <strong>${escapeHtml(rec.target)}</strong> — ${escapeHtml(rec.reason + overlap)}</li>`;
    });
  return lines.length === 0 ? '' : `<p><strong>recommendation</strong></p><ul>${lines.join('')}</ul>`;
}

function runSection(record: RunRecord, store: Store): string {
  if (record.summary === null)
    return `<h3>${escapeHtml(record.id)}</h3><p class="note">This run has no summary: it is ${escapeHtml(record.status)}.</p>`;
  if (record.kind === 'eval')
    return evalSection(
      record.summary as EvalJson,
      store.listCases(record.id).map((row) => row.result as CaseResult),
    );
  if (record.kind === 'bench') return benchSection(record.summary as BenchJson, record.resources);
  if (record.kind === 'metrics') return metricsSection(record.summary as MetricsJson);
  return `<h3>${escapeHtml(record.id)}</h3><p class="note">A ${escapeHtml(record.kind)} run: \`yardstick runs show ${escapeHtml(record.id)}\` prints it; the HTML report covers eval, bench, metrics and profile runs.</p>`;
}

function profileSections(record: RunRecord, store: Store): { sections: string[]; children: RunRecord[] } {
  const p = record.summary as ProfileJson;
  const sections: string[] = [];
  if (p.description !== null) sections.push(`<p>${escapeHtml(p.description)}</p>`);
  if (p.models.length > 0) {
    sections.push(
      '<h2>models</h2>',
      htmlTable(
        ['model', 'what it is', 'training (s)', 'validation accuracy'],
        p.models.map((m) => [
          m.id,
          m.description,
          m.trainMs === undefined ? '—' : cellNumber(m.trainMs / 1000, 1),
          m.validationAccuracy === undefined || m.validationAccuracy === null
            ? '—'
            : `${cellNumber(m.validationAccuracy)} (n=${m.validationExamples ?? '?'})`,
        ]),
        [1],
      ),
    );
  }
  if (p.tradeoffs.length > 0)
    sections.push('<h2>tradeoff</h2>', ...p.tradeoffs.map((t) => tradeoffSection(t.suite, t.tradeoff, t.note)));
  const failed = p.runs.filter((c) => typeof c.error === 'string');
  if (failed.length > 0)
    sections.push(
      '<h2>failed because of the target</h2>',
      htmlTable(
        ['run of', 'target', 'run', 'why'],
        failed.map((c) => [`${c.kind} ${c.of}`, c.target, c.runId ?? 'no run', c.error ?? '']),
        [3],
      ),
    );
  const children = p.runs
    .map((c) => (c.runId === null ? null : store.getRun(c.runId)))
    .filter((r): r is RunRecord => r !== null);
  return { sections, children };
}

/**
 * One self-contained HTML page for the given runs (a profile run brings its child runs): a summary with threshold
 * verdicts, then each run's section; with `compare`, the paired comparison of two eval runs first.
 */
export function renderReport(records: readonly RunRecord[], store: Store, compare: CompareJson | null = null): string {
  const sections: string[] = [];
  const all: RunRecord[] = [];
  const later: string[] = [];
  for (const record of records) {
    all.push(record);
    if (record.kind === 'profile' && record.summary !== null && record.status !== 'failed') {
      const { sections: own, children } = profileSections(record, store);
      later.push(...own);
      all.push(...children);
    }
  }
  sections.push('<h2>summary</h2>', verdictLine(all), recommendationLines(all), summaryTable(all));
  if (compare !== null) sections.push('<h2>comparison</h2>', compareSection(compare));
  sections.push(...later);
  const runs = all.filter((r) => r.kind !== 'profile');
  if (runs.length > 0) sections.push('<h2>runs</h2>', ...runs.map((r) => runSection(r, store)));
  const title =
    records.length === 1 && records[0]?.kind === 'profile'
      ? `yardstick report: ${(records[0].summary as ProfileJson | null)?.name ?? records[0].id}`
      : `yardstick report: ${records.map((r) => r.id).join(', ')}`;
  return page(
    title,
    sections,
    records[0]?.environment ?? null,
    records.length === 1 ? records[0]?.config : records.map((r) => ({ run: r.id, config: r.config })),
  );
}
