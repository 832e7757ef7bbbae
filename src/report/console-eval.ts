import { formatMs } from '../core/units.js';
import type { EvalJson } from '../eval/eval-summary.js';
import { renderBenchmarkTables } from './console-benchmark.js';
import { injectionHeadline, injectionRows, robustnessHeadline, robustnessRows } from './robustness-text.js';
import { renderTable } from './table.js';

function format(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '—';
  return Math.abs(value) >= 1000 ? value.toFixed(1) : value.toPrecision(4);
}

function money(value: number | null): string {
  return value === null ? '—' : value.toPrecision(4);
}

function clip(text: string, chars: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > chars ? `${flat.slice(0, chars - 1)}…` : flat;
}

/** The human-readable report of one eval run: counts, metrics with intervals, efficiency, repeatability, thresholds, failing cases. */
export function renderEval(summary: EvalJson): string {
  const out: string[] = [];
  const c = summary.cases;
  out.push(
    `eval ${summary.suite} → ${summary.target.name} (${summary.target.kind} ${summary.target.url}); run ${summary.runId}${summary.status === 'completed' ? '' : ` [${summary.status}]`}`,
  );
  const errors = Object.entries(summary.errors)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  out.push(
    `${summary.n} cases × ${summary.repeats} repeat${summary.repeats === 1 ? '' : 's'}: ${c.answered} answered, ${c.errored} failed${errors === '' ? '' : ` (${errors})`}, ${c.unscored} unscored, ${c.cached} from the cache`,
  );
  if (summary.robustness !== undefined) {
    const { header, rows } = robustnessRows(summary.robustness);
    if (summary.robustness.perturbations.length > 0)
      out.push('', `robustness: ${robustnessHeadline(summary.robustness)}`, renderTable(header, rows, 2));
    const injection = injectionHeadline(summary.robustness);
    if (injection !== null) {
      const probes = injectionRows(summary.robustness);
      out.push('', `injection: ${injection}`, renderTable(probes.header, probes.rows, 2));
    }
  }
  if (summary.benchmark !== undefined) out.push('', renderBenchmarkTables(summary.benchmark));
  else {
    const rows = Object.entries(summary.metrics).map(([name, m]) => [
      name,
      format(m.value),
      m.ci === null ? '—' : `[${format(m.ci[0])}, ${format(m.ci[1])}]`,
      String(m.n),
    ]);
    out.push('', renderTable(['metric', 'value', '95% interval', 'n'], rows));
    const tagRows = Object.entries(summary.byTag).map(([tag, m]) => [
      tag,
      format(m.value),
      m.ci === null ? '—' : `[${format(m.ci[0])}, ${format(m.ci[1])}]`,
      String(m.n),
    ]);
    if (tagRows.length > 0) out.push('', renderTable(['pass rate by tag', 'value', '95% interval', 'n'], tagRows));
  }
  const e2e = summary.latencyMs.e2e;
  const ttft = summary.latencyMs.ttft;
  out.push('');
  if (e2e === null)
    out.push('latency: not measured in this run (every answer came from the cache; pass --no-cache to measure)');
  else
    out.push(
      `latency e2e p50 ${formatMs(e2e.p50)} p95 ${formatMs(e2e.p95)} p99 ${formatMs(e2e.p99)}${ttft === null ? '' : ` | ttft p50 ${formatMs(ttft.p50)} p95 ${formatMs(ttft.p95)}`} (${e2e.count} requests)`,
    );
  out.push(`${summary.throughput.casesPerS.toFixed(1)} answers/s over ${summary.throughput.durationS.toFixed(1)} s`);
  out.push(
    `tokens in ${summary.tokens.input} out ${summary.tokens.output} | cost total ${money(summary.cost.total)} per case ${money(summary.cost.perCase)} per correct answer ${money(summary.cost.perCorrect)}${summary.cost.judge === null ? '' : ` | judge ${money(summary.cost.judge)}`}`,
  );
  for (const [name, s] of Object.entries(summary.scorers)) {
    if (s.unscored > 0)
      out.push(
        `scorer ${name}: ${s.unscored} case${s.unscored === 1 ? '' : 's'} unscored, e.g. ${s.firstUnscoredReason ?? ''}`,
      );
  }
  const r = summary.repeatability;
  if (r !== null) {
    out.push('', `repeatability over ${r.repeats} repeats of ${r.cases} cases`);
    out.push(
      `  agreement ${format(r.agreement)} | flip rate ${format(r.flipRate)} | Fleiss' kappa ${format(r.fleissKappa)} | majority-vote pass rate ${format(r.majorityVote.passRate)}${r.majorityVote.accuracy === null ? '' : `, accuracy ${format(r.majorityVote.accuracy)}`}`,
    );
    const ks = Object.keys(r.passAtK);
    out.push(
      `  pass@k ${ks.map((k) => `${k}:${format(r.passAtK[k] ?? null)}`).join(' ')} | pass^k ${ks.map((k) => `${k}:${format(r.passHatK[k] ?? null)}`).join(' ')}`,
    );
    out.push(
      `  variance of case scores: run-to-run ${format(r.variance.runToRun)}, case-to-case ${format(r.variance.caseToCase)} (run-to-run share ${format(r.variance.runToRunShare)})`,
    );
    const across = Object.entries(r.metrics).map(([name, m]) => [
      name,
      format(m.mean),
      format(m.std),
      m.ci === null ? '—' : `[${format(m.ci[0])}, ${format(m.ci[1])}]`,
    ]);
    out.push(renderTable(['  metric across repeats', 'mean', 'std', '95% t interval'], across));
  }
  if (summary.thresholds.length > 0) {
    out.push('', 'thresholds');
    for (const t of summary.thresholds)
      out.push(`  ${t.pass ? 'pass' : 'FAIL'}  ${t.expr}  (measured ${format(t.value)})`);
  }
  if (summary.failingCases.length > 0) {
    // Stored runs from before the count was kept list what they kept.
    const total = summary.failingCount ?? summary.failingCases.length;
    const shown = Math.min(10, summary.failingCases.length);
    out.push('', shown === total ? `failing cases (${total})` : `failing cases: the first ${shown} of ${total}`);
    for (const f of summary.failingCases.slice(0, 10)) {
      out.push(
        `  ${f.caseId}: expected ${clip(f.expected[0] ?? '—', 30)} got ${clip(f.output, 40)} — ${clip(f.reasons.join('; '), 80)}`,
      );
    }
  }
  out.push('', 'intervals: Wilson for proportions, percentile bootstrap over cases otherwise (docs/eval.md)');
  return out.join('\n');
}

/** One status line for a terminal while an eval runs. */
export function evalProgressLine(p: {
  done: number;
  total: number;
  errored: number;
  passed: number;
  scored: number;
  cached: number;
  elapsedS: number;
}): string {
  const rate = p.elapsedS > 0 ? p.done / p.elapsedS : 0;
  const passRate = p.scored > 0 ? ` pass ${((100 * p.passed) / p.scored).toFixed(1)}%` : '';
  const width = 20;
  const filled = p.total === 0 ? width : Math.round((p.done / p.total) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${p.done}/${p.total} ${rate.toFixed(1)}/s err ${p.errored}${passRate}${p.cached > 0 ? ` cached ${p.cached}` : ''} ${p.elapsedS.toFixed(1)}s`;
}
