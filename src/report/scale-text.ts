import type { ScaleJson } from '../jobs/scale-json.js';
import type { ScalingAnalysis, ScalingRow } from '../jobs/scaling-analysis.js';

const fixed = (x: number | null | undefined, digits: number): string => (x == null ? '—' : x.toFixed(digits));

/** A value with its interval, `v [lo, hi]`, or the value alone. */
export function withInterval(value: number | null, interval: [number, number] | null, digits: number): string {
  if (value === null) return '—';
  return interval === null
    ? fixed(value, digits)
    : `${fixed(value, digits)} [${fixed(interval[0], digits)}, ${fixed(interval[1], digits)}]`;
}

/** What the study measured and how: the law, the base and the unit of work. */
export function scaleHeadline(s: ScaleJson): string {
  const a = s.analysis;
  const kind = a.mode === 'strong' ? 'strong scaling (Amdahl)' : 'weak scaling (Gustafson)';
  const measure =
    s.measure.by === 'wall-time'
      ? 'wall time per unit of work'
      : s.measure.by === 'progress-rate'
        ? `the rate of '${s.measure.name}' in its output`
        : `each bench run's highest ${s.measure.throughput === 'requests' ? 'request' : s.measure.throughput} throughput`;
  const unit = s.source === 'bench-runs' ? 'replicas' : 'workers';
  return `${kind} over ${s.workers.join(', ')} ${unit}, ${s.repeats} repeat${s.repeats === 1 ? '' : 's'} each, measured by ${measure}`;
}

/** The table's header and a row per worker count, in text. */
export function scaleRows(a: ScalingAnalysis): { header: string[]; rows: string[][] } {
  const ci = `${Math.round(a.confidence * 100)}% CI`;
  const header = [
    'workers',
    'repeats',
    `s per unit [${ci}]`,
    `units/s [${ci}]`,
    a.mode === 'strong' ? `speedup over ${a.baseWorkers} [${ci}]` : `scaled speedup [${ci}]`,
    'efficiency',
    a.mode === 'strong' ? 'Amdahl' : 'Gustafson',
    a.mode === 'strong' ? 'Karp–Flatt' : 'weak efficiency',
  ];
  const rows = a.rows.map((r: ScalingRow) => [
    String(r.workers),
    String(r.repeats),
    withInterval(r.secondsPerUnit.mean, r.secondsPerUnit.interval, 3),
    withInterval(r.unitsPerS.mean, r.unitsPerS.interval, 3),
    r.speedup === null ? '—' : withInterval(r.speedup.value, r.speedup.interval, 2),
    fixed(r.efficiency, 2),
    fixed(r.fitted, 2),
    a.mode === 'strong' ? fixed(r.karpFlatt, 3) : fixed(r.weakEfficiency, 2),
  ]);
  return { header, rows };
}

/** The fitted law, the knee and the predictions, one finding per line. */
export function scaleFindings(a: ScalingAnalysis): string[] {
  const out: string[] = [];
  if (a.fit === null) out.push('serial fraction: not fitted (it needs two worker counts with results)');
  else {
    const superlinear = a.fit.unclamped < 0 ? ' (faster than linear: the fit was below 0)' : '';
    out.push(
      `serial fraction s = ${withInterval(a.fit.serialFraction, a.fit.interval, 3)}${superlinear}, ${a.law === 'amdahl' ? 'Amdahl' : 'Gustafson'} fit on ${a.fit.observations} observations, R² ${fixed(a.fit.rSquared, 3)}`,
    );
  }
  const knee = (n: number | null): string => (n === null ? 'none' : `${n} workers`);
  out.push(
    `knee (efficiency below ${a.efficiencyBound}): measured ${knee(a.knee.measured)}${a.knee.measured === null ? ' among the counts run' : ''}, predicted ${knee(a.knee.predicted)}`,
  );
  if (a.predictions.length > 0)
    out.push(
      `predicted ${a.mode === 'strong' ? 'speedup' : 'scaled speedup'}: ${a.predictions.map((p) => `${p.workers} workers ${withInterval(p.speedup, p.interval, 2)}`).join('; ')}${a.limitSpeedup === null ? '' : `; limit ${a.limitSpeedup.toFixed(2)}`}`,
    );
  return out;
}
