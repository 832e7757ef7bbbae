import type { CapacityPlanJson } from '../tradeoff/capacity-plan.js';
import { renderTable } from './table.js';

function value(v: number | null | undefined): string {
  return v === null || v === undefined
    ? 'not measured'
    : Math.abs(v) >= 100
      ? v.toFixed(0)
      : Math.abs(v) >= 1
        ? v.toFixed(2)
        : v.toFixed(4);
}

/** The terminal report of `yardstick plan`: each step against the SLOs, the sustainable rate, replicas, assumptions. */
export function renderPlan(p: CapacityPlanJson): string {
  const out = [`capacity of ${p.target} from sweep ${p.runId}, under ${p.slo.join(' and ')}`, ''];
  const rows = p.steps.map((s) => [
    s.label,
    s.achievedPerS.toFixed(1),
    ...p.slo.map((e) => value(s.values[e])),
    s.meetsSlo ? 'meets' : 'misses',
  ]);
  out.push(renderTable(['step', 'requests/s', ...p.slo, 'SLO'], rows));
  out.push('');
  if (p.sustainablePerS === null)
    out.push('sustainable rate: none — no step of the sweep met every SLO, not even the lightest');
  else
    out.push(
      `sustainable rate per replica: ${p.sustainablePerS.toFixed(1)} requests/s (step ${p.sustainableStep ?? ''})`,
    );
  if (p.knee !== null) out.push(`saturation knee: ${p.knee.requestsPerS.toFixed(1)} requests/s (step ${p.knee.label})`);
  if (p.load !== null) {
    out.push(
      p.load.replicas === null
        ? `for ${p.load.targetPerS}/s with ${(p.load.headroom * 100).toFixed(0)}% headroom: cannot say — no measured rate meets the SLO`
        : `for ${p.load.targetPerS}/s with ${(p.load.headroom * 100).toFixed(0)}% headroom (${p.load.neededPerS.toFixed(1)}/s): ${p.load.replicas} replica${p.load.replicas === 1 ? '' : 's'}`,
    );
  }
  out.push('', 'assuming:', ...p.assumptions.map((a) => `  - ${a}`));
  return out.join('\n');
}
