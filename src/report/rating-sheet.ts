import type { Rating, RatingItem } from '../rating/rating-task.js';
import { ratingText, type Rubric } from '../accuracy/rubric.js';
import { csvCell } from './cases-csv.js';

/**
 * The sheet raters fill in (or a labelling tool imports): each item's id, prompt and output (a pairwise item's two,
 * as `output_1` and `output_2`), and empty `rating` and `comment` columns — nothing about the targets, which run
 * each output came from, or the eval's scores.
 */
export function ratingSheet(items: readonly RatingItem[], format: 'csv' | 'jsonl'): string {
  const rows = items.map((i): Record<string, string> =>
    i.pair === undefined
      ? { item: i.itemId, prompt: i.prompt, output: i.output, rating: '', comment: '' }
      : { item: i.itemId, prompt: i.prompt, output_1: i.output, output_2: i.pair.second, rating: '', comment: '' },
  );
  return table(rows, format);
}

/** Every rating kept (each rater's latest per item), for outside tools. */
export function ratingsExport(rubric: Rubric, ratings: readonly Rating[], format: 'csv' | 'jsonl'): string {
  const rows = [...ratings]
    .sort((a, b) => (a.itemId === b.itemId ? (a.rater < b.rater ? -1 : 1) : a.itemId < b.itemId ? -1 : 1))
    .map((r) => ({
      item: r.itemId,
      rater: r.rater,
      rating: ratingText(rubric, r.value),
      comment: r.comment,
      at: r.at,
    }));
  return table(rows, format);
}

function table(rows: readonly Record<string, string>[], format: 'csv' | 'jsonl'): string {
  if (format === 'jsonl') return rows.map((r) => `${JSON.stringify(r)}\n`).join('');
  const header = Object.keys(rows[0] ?? {});
  return [header.join(','), ...rows.map((r) => header.map((h) => csvCell(r[h])).join(','))].join('\n') + '\n';
}
