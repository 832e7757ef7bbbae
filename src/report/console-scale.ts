import type { ScaleJson } from '../jobs/scale-json.js';
import { scaleFindings, scaleHeadline, scaleRows } from './scale-text.js';
import { renderTable } from './table.js';

/** A scaling study on the console: what was measured, a row per worker count, the fit, the knee, the predictions. */
export function renderScale(s: ScaleJson): string {
  const { header, rows } = scaleRows(s.analysis);
  const out = [`run ${s.runId}: ${s.command.join(' ')}`, scaleHeadline(s), '', renderTable(header, rows), ''];
  out.push(...scaleFindings(s.analysis));
  const failed = s.executions.filter((e) => e.failure !== null);
  if (failed.length > 0) {
    out.push(`${failed.length} execution${failed.length === 1 ? '' : 's'} left out:`);
    for (const e of failed.slice(0, 10))
      out.push(`  ${e.workers} workers, size ${e.size}, repeat ${e.repeat} (run ${e.runId}): ${e.failure ?? ''}`);
  }
  return out.join('\n');
}
