import { formatMs } from '../core/units.js';
import type { ProfileChild, ProfileJson } from '../runs/profile-json.js';
import { renderTable } from './table.js';
import { renderTradeoff } from './console-tradeoff.js';

function num(value: number | null | undefined, digits = 3): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(digits);
}

function ms(value: number | null): string {
  return value === null ? '—' : formatMs(value);
}

function modelRows(models: ProfileJson['models']): string[][] {
  return models.map((m) => [
    m.id,
    m.description,
    m.trainMs === undefined ? '—' : `${(m.trainMs / 1000).toFixed(1)} s`,
    m.validationAccuracy === undefined || m.validationAccuracy === null
      ? '—'
      : `${m.validationAccuracy.toFixed(3)} (n=${m.validationExamples ?? '?'})`,
  ]);
}

/** A child's run column: its id, with its status when it did not complete ('no run' when none began). */
function runCell(r: ProfileChild): string {
  const id = r.runId ?? 'no run';
  return r.status === 'completed' ? id : `${id} (${r.status})`;
}

/** The terminal report of a profile run: the models, accuracy per suite and target, load per target, and the tradeoffs. */
export function renderProfile(p: ProfileJson): string {
  const out: string[] = [`profile ${p.name} — run ${p.runId}, ${p.status} in ${p.durationS.toFixed(1)} s`];
  if (p.description !== null) out.push(p.description.trim());
  if (p.models.length > 0)
    out.push(
      '',
      "reference models (trained at start, on their dataset's train split)",
      renderTable(['model', 'what it is', 'training', 'validation accuracy'], modelRows(p.models), 2),
    );
  const evals = p.runs.filter((r) => r.kind === 'eval');
  for (const suite of [...new Set(evals.map((r) => r.of))]) {
    const rows = evals
      .filter((r) => r.of === suite)
      .map((r) => {
        const m = r.headline.metric;
        return [
          r.target,
          m === null ? '—' : `${num(m.value)} [${num(m.ci?.[0])}, ${num(m.ci?.[1])}]`,
          String(m?.n ?? '—'),
          ms(r.headline.p50LatencyMs),
          ms(r.headline.p95LatencyMs),
          num(r.headline.repeatAgreement),
          runCell(r),
        ];
      });
    const metricName = evals.find((r) => r.of === suite)?.headline.metric?.name ?? 'accuracy';
    out.push(
      '',
      `accuracy on ${suite} (held-out cases; Wilson 95% intervals)`,
      renderTable(
        ['target', `${metricName} [95%]`, 'n', 'p50 latency', 'p95 latency', 'repeat agreement', 'run'],
        rows,
      ),
    );
  }
  const loads = p.runs.filter((r) => r.kind === 'bench');
  for (const profile of [...new Set(loads.map((r) => r.of))]) {
    const rows = loads
      .filter((r) => r.of === profile)
      .map((r) => [
        r.target,
        num(r.headline.maxRequestsPerS, 1),
        ms(r.headline.p95LatencyAtLowestLoadMs),
        `${(r.headline.errorRate * 100).toFixed(2)}%`,
        runCell(r),
      ]);
    out.push(
      '',
      `load: ${profile}`,
      renderTable(['target', 'peak requests/s', 'p95 latency at lowest load', 'errors', 'run'], rows),
    );
  }
  for (const t of p.tradeoffs) {
    out.push('', `tradeoff on ${t.suite}`);
    out.push(t.tradeoff === null ? `  none: ${t.note ?? ''}` : renderTradeoff(t.tradeoff));
  }
  // Profiles stored before failed children were recorded have no `error` at all.
  const failed = p.runs.filter((r) => typeof r.error === 'string');
  if (failed.length > 0)
    out.push(
      '',
      `${failed.length} run${failed.length === 1 ? '' : 's'} failed because of the target; the others went on:`,
      ...failed.map((r) => `  ${r.kind} ${r.of} → ${r.target}: ${r.error ?? ''}`),
    );
  if (p.thresholdsFailed > 0)
    out.push(
      '',
      `${p.thresholdsFailed} threshold${p.thresholdsFailed === 1 ? '' : 's'} failed (see each run: yardstick runs show ID)`,
    );
  return out.join('\n');
}
