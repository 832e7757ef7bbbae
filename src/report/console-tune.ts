import type { TuneJson } from '../tuning/tune-json.js';
import { renderTable } from './table.js';
import { tuneFindings, tuneHeadline, tuneRows } from './tune-text.js';

/** A tuning study on the console: the search, a row per trial (finalists first), the front and the recommendation. */
export function renderTune(t: TuneJson): string {
  const { header, rows } = tuneRows(t);
  return [
    `run ${t.runId}: tuning ${t.suite}`,
    tuneHeadline(t),
    '',
    renderTable(header, rows, 2),
    '',
    ...tuneFindings(t),
  ].join('\n');
}
