import { ratingHeadline } from '../report/headlines.js';
import { renderRating } from '../report/console-rating.js';
import { ratingRunOf } from '../runs/stored-runs.js';
import { defineRunKind } from './run-kind.js';

/** A rating task (`yardstick rate`): people's ratings of an eval run's outputs and how far they agree. */
export const ratingKind = defineRunKind({
  kind: 'rating',
  description: "people's ratings of an eval run's outputs, their agreement, and the eval's agreement with them",
  read: ratingRunOf,
  console: (run) => renderRating(run.summary),
  headline: ratingHeadline,
  report: async (run) => {
    const { ratingSection } = await import('../report/html/rating-section.js');
    return { section: ratingSection(run.summary) };
  },
});
