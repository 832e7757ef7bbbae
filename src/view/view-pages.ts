import { seededRandom } from '../core/random.js';
import { hashSeed } from '../core/random.js';
import type { RatingJson } from '../rating/agreement-summary.js';
import type { Rating, RatingItem } from '../rating/rating-task.js';
import { ratingText, type Rubric } from '../accuracy/rubric.js';
import { escapeHtml } from '../report/html/escape.js';
import { ratingLines } from '../report/rating-text.js';
import type { RunListing } from '../store/run-record.js';

const STYLE = `body{font:15px/1.45 system-ui,sans-serif;margin:1.5rem auto;max-width:980px;padding:0 1rem;color:#222}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left}
a{color:#2456a6}pre{white-space:pre-wrap;background:#f6f6f6;padding:.6rem;border-radius:4px;max-height:22rem;overflow:auto}
button{font:inherit;padding:.4rem .9rem;margin-right:.4rem}kbd{border:1px solid #bbb;border-radius:3px;padding:0 .3rem}
.muted{color:#777}nav a{margin-right:1rem}.pair{display:grid;grid-template-columns:1fr 1fr;gap:1rem}
.question{font-size:1.1rem;font-weight:600}`;

/** A page of the viewer: its title, body, and the nonce its one script (if any) carries. */
export function page(title: string, body: string, nonce: string, script = ''): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><nav><a href="/">runs</a></nav>${body}${script === '' ? '' : `<script nonce="${nonce}">${script}</script>`}</body></html>`;
}

/**
 * The runs list: kind, status, creation, target and headline numbers of each, newest first; a kind filter; two ticked
 * to compare, or one (two, pairwise) to rate.
 */
export function runsPage(
  runs: readonly (RunListing & { headline: string | null })[],
  kinds: readonly string[],
  kind: string | null,
  nonce: string,
): string {
  const filter = ['', ...kinds]
    .map(
      (k) => `<a href="/${k === '' ? '' : `?kind=${encodeURIComponent(k)}`}">${k === '' ? 'all' : escapeHtml(k)}</a>`,
    )
    .join(' · ');
  const rows = runs
    .map((r) => {
      const rate =
        r.kind === 'rating'
          ? ` · <a href="/rate/${encodeURIComponent(r.id)}">rate</a>`
          : r.kind === 'eval'
            ? ` · <a href="/runs/${encodeURIComponent(r.id)}/cases">cases</a>`
            : '';
      return `<tr><td><input type="checkbox" name="run" value="${escapeHtml(r.id)}" aria-label="compare ${escapeHtml(r.id)}"></td><td><a href="/runs/${encodeURIComponent(r.id)}">${escapeHtml(r.id)}</a>${rate}</td><td>${escapeHtml(r.kind)}</td><td>${escapeHtml(r.status)}</td><td>${escapeHtml(r.createdAt)}</td><td>${escapeHtml(r.targetName)}</td><td>${escapeHtml(r.headline ?? '—')}</td></tr>`;
    })
    .join('');
  return page(
    'yardstick runs',
    `<h1>Runs${kind === null ? '' : ` of kind ${escapeHtml(kind)}`}</h1><p>${filter}</p><form method="get" action="/compare"><p><button type="submit" id="compare">compare the two ticked runs</button> <button type="submit" id="rate" formaction="/rate/new">rate the ticked eval run (two: pairwise)</button> <span class="muted">the upper one is A</span></p><table><thead><tr><th></th><th>run</th>${[
      'kind',
      'status',
      'created',
      'target',
    ]
      .map(
        (c) => `<th><a href="/?${kind === null ? '' : `kind=${encodeURIComponent(kind)}&amp;`}sort=${c}">${c}</a></th>`,
      )
      .join(
        '',
      )}<th>headline</th></tr></thead><tbody>${rows}</tbody></table></form>${runs.length === 0 ? '<p class="muted">No runs stored yet.</p>' : ''}`,
    nonce,
  );
}

/** A rater's order of the items: seeded by their name, so each rater sees them in an order of their own. */
export function raterOrder(items: readonly RatingItem[], rater: string): RatingItem[] {
  const random = seededRandom(hashSeed(7, rater));
  return items
    .map((item) => ({ item, key: random() }))
    .sort((a, b) => a.key - b.key)
    .map((x) => x.item);
}

/** The choices of a rubric, each with the key that picks it (and a label when the value alone says too little). */
export function rubricChoices(rubric: Rubric): { value: string; key: string; label?: string }[] {
  if (rubric.kind === 'pass-fail')
    return [
      { value: 'pass', key: 'p' },
      { value: 'fail', key: 'f' },
    ];
  if (rubric.kind === 'pairwise')
    return [
      { value: 'first', key: '1', label: 'output 1 is better' },
      { value: 'tie', key: 't', label: 'tie' },
      { value: 'second', key: '2', label: 'output 2 is better' },
    ];
  if (rubric.kind === 'scale')
    return Array.from({ length: rubric.max - rubric.min + 1 }, (_, i) => ({
      value: String(rubric.min + i),
      key: String(rubric.min + i).slice(-1),
    }));
  return rubric.labels.map((label, i) => ({ value: label, key: String(i + 1) }));
}

/** Keys pick a choice: the form is submitted with that value (the page's one script, run under its nonce). */
const KEY_SCRIPT = `document.addEventListener('keydown', (e) => {
  if (e.target instanceof HTMLTextAreaElement || e.target instanceof HTMLInputElement) return;
  const button = document.querySelector('button[data-key="' + e.key + '"]');
  if (button) { e.preventDefault(); button.click(); }
});`;

/**
 * The rating page: the rater's next unrated item (prompt and output, escaped), the rubric's buttons with their keys.
 * The agreement is shown only once the rater has rated every item, so it cannot sway their ratings.
 */
export function ratePage(options: {
  taskId: string;
  rubric: Rubric;
  question: string | null;
  rater: string;
  items: readonly RatingItem[];
  ratings: readonly Rating[];
  summary: RatingJson | null;
  csrf: string;
  nonce: string;
}): string {
  const { taskId, rubric, rater } = options;
  const mine = new Set(options.ratings.filter((r) => r.rater === rater).map((r) => r.itemId));
  const order = raterOrder(options.items, rater);
  const next = order.find((item) => !mine.has(item.itemId));
  const progress = `${mine.size} of ${order.length} rated by ${escapeHtml(rater)}`;
  const agreement =
    options.summary === null
      ? ''
      : `<h2>Agreement so far</h2><ul id="agreement">${ratingLines(options.summary)
          .map((line) => `<li>${escapeHtml(line)}</li>`)
          .join('')}</ul>`;
  if (next === undefined)
    return page(
      'All rated',
      `<h1>All rated</h1><p id="progress">${progress}. Thank you.</p>${agreement}`,
      options.nonce,
    );
  const buttons = rubricChoices(rubric)
    .map(
      (c) =>
        `<button type="submit" name="rating" value="${escapeHtml(c.value)}" data-key="${escapeHtml(c.key)}">${escapeHtml(c.label ?? c.value)} <kbd>${escapeHtml(c.key)}</kbd></button>`,
    )
    .join('');
  const earlier = options.ratings.find((r) => r.rater === rater && r.itemId === next.itemId);
  return page(
    `Rate ${next.itemId}`,
    `<h1>Item ${escapeHtml(next.itemId)}</h1><p id="progress" class="muted">${progress}</p>
<h2>Prompt</h2><pre id="prompt">${escapeHtml(next.prompt)}</pre>
${
  next.pair === undefined
    ? `<h2>Output</h2><pre id="output">${escapeHtml(next.output)}</pre>`
    : `<div class="pair"><div><h2>Output 1</h2><pre id="output-1">${escapeHtml(next.output)}</pre></div><div><h2>Output 2</h2><pre id="output-2">${escapeHtml(next.pair.second)}</pre></div></div>`
}${options.question === null ? '' : `<p class="question" id="question">${escapeHtml(options.question)}</p>`}
<form method="post" action="/rate/${encodeURIComponent(taskId)}">
<input type="hidden" name="csrf" value="${escapeHtml(options.csrf)}"><input type="hidden" name="rater" value="${escapeHtml(rater)}"><input type="hidden" name="item" value="${escapeHtml(next.itemId)}">
<p><label>Comment (optional) <input name="comment" size="60"></label></p><p>${buttons}</p></form>
${earlier === undefined ? '' : `<p class="muted">Earlier: ${escapeHtml(ratingText(rubric, earlier.value))}</p>`}`,
    options.nonce,
    KEY_SCRIPT,
  );
}

/** The page asking who is rating. */
export function raterPage(taskId: string, nonce: string): string {
  return page(
    'Who is rating?',
    `<h1>Who is rating?</h1><form method="get" action="/rate/${encodeURIComponent(taskId)}"><label>Your name <input name="rater" required pattern="[A-Za-z0-9_.\\-]{1,64}"></label> <button type="submit">Start</button></form>`,
    nonce,
  );
}

/** The form that creates a rating task over one eval run (two: pairwise), its rubric and question filled in. */
export function newTaskPage(options: {
  runs: readonly string[];
  rubric: string;
  question: string;
  csrf: string;
  nonce: string;
}): string {
  const [a, b] = options.runs;
  const what =
    b === undefined
      ? `the outputs of run ${escapeHtml(a ?? '')}`
      : `run ${escapeHtml(a ?? '')} (A) against run ${escapeHtml(b)} (B), pairwise`;
  const rubric =
    b === undefined
      ? `<p><label>Rubric <input name="rubric" id="rubric" value="${escapeHtml(options.rubric)}" size="40"></label> <span class="muted">pass-fail, scale:1-5 or labels:a,b,c</span></p>`
      : '<p class="muted">Raters pick the better of two outputs shown side by side (1, 2 or tie); neither says which run it came from.</p>';
  return page(
    'New rating task',
    `<h1>New rating task</h1><p>Rate ${what}: each answered case once, blind, in an order of each rater's own.</p>
<form method="post" action="/rate"><input type="hidden" name="csrf" value="${escapeHtml(options.csrf)}">${options.runs
      .map((id) => `<input type="hidden" name="run" value="${escapeHtml(id)}">`)
      .join('')}${rubric}
<p><label>Question <input name="question" id="question" value="${escapeHtml(options.question)}" size="60"></label></p>
<p><label>Rate only <input name="limit" id="limit" size="6" inputmode="numeric"> items (a seeded choice; empty: all)</label></p>
<p><button type="submit" id="create">create the task</button></p></form>`,
    options.nonce,
  );
}
