import type { RatingJson } from '../rating/agreement-summary.js';
import { ratingLines } from './rating-text.js';

/** A rating task on the console. */
export function renderRating(r: RatingJson): string {
  return [`rating task ${r.runId}`, ...ratingLines(r)].join('\n');
}
