import { formatMs } from '../core/units.js';
import type { TradeoffJson } from '../tradeoff/tradeoff.js';
import { renderTable } from './table.js';

function num(value: number | null, digits = 3): string {
  return value === null || !Number.isFinite(value) ? '—' : value.toFixed(digits);
}

/** The terminal report of a tradeoff: one row per target, the frontier, the recommendation and its caveats. */
export function renderTradeoff(t: TradeoffJson): string {
  const out: string[] = [];
  out.push(
    `tradeoff over ${t.candidates.length} runs of the same ${t.cases} cases; frontier over ${t.dimensions.join(', ')}`,
  );
  const rows = t.candidates.map((c) => [
    c.target,
    `${num(c.accuracy.value)} [${num(c.accuracy.ci?.[0] ?? null)}, ${num(c.accuracy.ci?.[1] ?? null)}]`,
    c.p95LatencyMs === null ? '—' : formatMs(c.p95LatencyMs),
    c.p95TtftMs === null ? '—' : formatMs(c.p95TtftMs),
    num(c.costPer1kRequests, 4),
    num(c.costPerCorrect, 6),
    c.energyPerRequestJ === null ? 'not measured' : num(c.energyPerRequestJ),
    c.pareto ? 'frontier' : `dominated by ${c.dominatedBy.join(', ')}`,
  ]);
  out.push(
    '',
    renderTable(
      [
        'target',
        `${t.metric} [95%]`,
        'p95 latency',
        'p95 ttft',
        'cost / 1k',
        'cost / correct',
        'energy / request',
        'Pareto',
      ],
      rows,
    ),
  );
  out.push('');
  if (t.recommendation === null)
    out.push(t.satisfying.length === 0 ? 'recommendation: no target meets every constraint' : 'recommendation: none');
  else {
    const r = t.recommendation;
    out.push(`recommendation: ${r.target} — ${r.reason}`);
    if (r.overlapsWith.length > 0)
      out.push(
        `  but its ${t.metric} interval overlaps ${r.overlapsWith.join(', ')}: these cases cannot tell which is more accurate`,
      );
  }
  for (const share of t.trafficShares ?? [])
    out.push(
      `traffic: ${share.reason}${share.savingPer1k !== null && share.share > 0 ? `, saving ${share.savingPer1k.toFixed(4)} per 1,000 requests` : ''}`,
    );
  for (const note of t.notes) out.push(`note: ${note}`);
  return out.join('\n');
}
