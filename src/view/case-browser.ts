import type { CaseResult } from '../eval/case-result.js';
import { escapeHtml } from '../report/html/escape.js';
import { page } from './view-pages.js';

/** What the case browser shows: a search text, an outcome, a tag. */
export interface CaseFilter {
  query: string;
  outcome: 'all' | 'pass' | 'fail' | 'error' | 'flipped';
  tag: string;
}

/** The case browser's filter from a page address's parameters (unknown outcomes read as all). */
export function caseFilterOf(params: URLSearchParams): CaseFilter {
  const outcome = params.get('outcome') ?? 'all';
  return {
    query: params.get('q') ?? '',
    outcome: outcome === 'pass' || outcome === 'fail' || outcome === 'error' || outcome === 'flipped' ? outcome : 'all',
    tag: params.get('tag') ?? '',
  };
}

/** Cases shown at most on one page. */
const SHOWN = 200;

/**
 * The cases an eval run's first repeat answered, filtered: by text (in the id, prompt, output or expected answer), by
 * outcome (passed, failed, errored, or — a robustness run — the originals that flipped under some perturbation), and
 * by tag; each with its prompt, output, expected answer, scores and latency.
 */
export function caseBrowserPage(
  runId: string,
  results: readonly CaseResult[],
  filter: CaseFilter,
  nonce: string,
): string {
  const first = results.filter((r) => r.repeat === 0);
  const passed = new Map(first.map((r) => [r.caseId, r.pass]));
  const flipped = new Set(
    first.flatMap((r) => {
      const at = r.caseId.lastIndexOf('~');
      if (at < 0 || r.pass !== false) return [];
      const original = r.caseId.slice(0, at);
      return passed.get(original) === true ? [original] : [];
    }),
  );
  const query = filter.query.toLowerCase();
  const shown = first.filter((r) => {
    if (filter.outcome === 'pass' && !(r.status === 'ok' && r.pass === true)) return false;
    if (filter.outcome === 'fail' && !(r.status === 'ok' && r.pass === false)) return false;
    if (filter.outcome === 'error' && r.status !== 'error') return false;
    if (filter.outcome === 'flipped' && !flipped.has(r.caseId)) return false;
    if (filter.tag !== '' && !r.tags.includes(filter.tag)) return false;
    if (query === '') return true;
    return [r.caseId, r.prompt, r.output, ...r.expected].some((text) => text.toLowerCase().includes(query));
  });
  const tags = [...new Set(first.flatMap((r) => r.tags))].sort();
  const option = (value: string, label: string, selected: string): string =>
    `<option value="${escapeHtml(value)}"${value === selected ? ' selected' : ''}>${escapeHtml(label)}</option>`;
  const form = `<form method="get" id="filter"><input name="q" value="${escapeHtml(filter.query)}" placeholder="search id, prompt, output, expected" size="40">
<select name="outcome">${(['all', 'pass', 'fail', 'error', 'flipped'] as const).map((o) => option(o, o, filter.outcome)).join('')}</select>
<select name="tag">${option('', 'any tag', filter.tag)}${tags.map((t) => option(t, t, filter.tag)).join('')}</select>
<button type="submit">show</button></form>`;
  const verdict = (r: CaseResult): string =>
    r.status === 'error'
      ? `error: ${r.error?.message ?? ''}`
      : r.pass === true
        ? 'pass'
        : r.pass === false
          ? 'fail'
          : 'unscored';
  const rows = shown
    .slice(0, SHOWN)
    .map(
      (
        r,
      ) => `<tr class="case"><td>${escapeHtml(r.caseId)}${r.tags.length === 0 ? '' : `<br><span class="muted">${escapeHtml(r.tags.join(', '))}</span>`}</td>
<td><pre>${escapeHtml(r.prompt)}</pre></td><td><pre>${escapeHtml(r.output)}</pre></td><td>${escapeHtml(r.expected.join(' | '))}</td>
<td>${escapeHtml(verdict(r))}${Object.entries(r.scores)
        .map(
          ([name, s]) => `<br><span class="muted">${escapeHtml(`${name}: ${s.value ?? '—'} ${s.explanation}`)}</span>`,
        )
        .join('')}</td><td>${r.e2eMs === null ? '—' : `${r.e2eMs.toFixed(1)} ms`}</td></tr>`,
    )
    .join('');
  return page(
    `Cases of ${runId}`,
    `<h1>Cases of <a href="/runs/${encodeURIComponent(runId)}">${escapeHtml(runId)}</a></h1>${form}
<p id="count">${shown.length} of ${first.length} cases${shown.length > SHOWN ? `, the first ${SHOWN} shown` : ''}</p>
<table><thead><tr><th>case</th><th>prompt</th><th>output</th><th>expected</th><th>verdict</th><th>latency</th></tr></thead><tbody>${rows}</tbody></table>`,
    nonce,
  );
}
