import type { RatingJson } from '../../rating/agreement-summary.js';
import { ratingLines } from '../rating-text.js';
import { escapeHtml, htmlTable } from './escape.js';

/** A rating task: the agreement findings and the items the raters split on. */
export function ratingSection(r: RatingJson): string {
  const [first, ...rest] = ratingLines(r);
  const raters = r.raters.map((x) => x.name);
  return [
    `<h3>Ratings of ${escapeHtml(r.source)}</h3>`,
    `<p>${escapeHtml(first ?? '')}</p>`,
    `<ul>${rest.map((line) => `<li>${escapeHtml(line)}</li>`).join('')}</ul>`,
    r.disagreements.length === 0
      ? ''
      : htmlTable(
          ['item', ...raters],
          r.disagreements.map((d) => [d.itemId, ...raters.map((name) => d.ratings[name] ?? '—')]),
          [0],
        ),
  ].join('\n');
}
