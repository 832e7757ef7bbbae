import { basename } from 'node:path';
import type { DriftMonitorSummary, ProxyJson } from '../proxy/proxy-summary.js';
import type { ProxySample } from '../proxy/proxy-sample.js';
import { csvCell } from './cases-csv.js';

function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(2)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(2)} MB`;
  if (bytes >= 1e3) return `${(bytes / 1e3).toFixed(1)} kB`;
  return `${bytes} B`;
}

function driftLines(drift: DriftMonitorSummary): string[] {
  const untested = drift.untested > 0 ? `, ${drift.untested} untested (fewer than ${drift.minRows} rows)` : '';
  const lines = [
    `drift against ${basename(drift.reference)} (${drift.referenceRows} rows), ${drift.window}: ${drift.windows} window${drift.windows === 1 ? '' : 's'}, ${drift.drifted} drifted${untested}`,
  ];
  const last = drift.last;
  if (last !== null)
    lines.push(
      `  last window (${last.index}, ending ${last.end}): ${last.drifted ? `drifted in ${last.driftedColumns.join(', ')}` : last.driftedColumns.length > 0 ? `no dataset drift (drifted columns: ${last.driftedColumns.join(', ')})` : 'no drift'}; ${last.findings} data-quality finding${last.findings === 1 ? '' : 's'}`,
    );
  return lines;
}

/** `runs show` of a proxy session: what passed through, by outcome, what was kept, drift and scaling advice. */
export function renderProxy(summary: ProxyJson): string {
  const measured = Object.values(summary.requests).reduce((a, b) => a + b, 0);
  const outcomes = Object.entries(summary.requests)
    .sort(([, a], [, b]) => b - a)
    .map(([outcome, n]) => `${outcome} ${n}`)
    .join(', ');
  const lines = [
    `proxy ${summary.listen} → ${summary.upstream}${summary.slos.length > 0 ? ` (SLOs: ${summary.slos.join('; ')})` : ''}`,
    `measured requests: ${measured}${measured > 0 ? ` (${outcomes})` : ''}; passed through unmeasured: ${summary.unmeasured}`,
  ];
  const s = summary.sampling;
  if (s === null) lines.push('sampling: off');
  else
    lines.push(
      `sampling ${Number((s.share * 100).toPrecision(6))}%: kept ${s.kept} (${formatBytes(s.bytes)} of ${formatBytes(s.budgetBytes)})` +
        `${s.overBudget > 0 ? `, ${s.overBudget} over the budget` : ''}${s.failed > 0 ? `, ${s.failed} lost to store errors` : ''}`,
    );
  if (summary.drift !== undefined && summary.drift !== null) lines.push(...driftLines(summary.drift));
  if (summary.scaling !== undefined && summary.scaling !== null)
    lines.push(`scaling: ${summary.scaling.message} (capacity: ${summary.scaling.source})`);
  return lines.join('\n');
}

/** The samples as CSV, one row each; the request body as JSON. */
export function proxySamplesCsv(samples: readonly ProxySample[]): string {
  const header = [
    'at',
    'model',
    'endpoint',
    'outcome',
    'ttft_ms',
    'e2e_ms',
    'tokens_in',
    'tokens_out',
    'finish_reason',
    'request',
    'output',
  ];
  const rows = samples.map((s) =>
    [
      s.at,
      s.model,
      s.endpoint,
      s.outcome,
      s.ttftMs,
      s.e2eMs,
      s.tokensIn,
      s.tokensOut,
      s.finishReason,
      s.request,
      s.output,
    ]
      .map(csvCell)
      .join(','),
  );
  return `${[header.join(','), ...rows].join('\n')}\n`;
}
