import type { RobustnessJson } from '../eval/robustness/robustness-summary.js';

const three = (x: number): string => (Number.isFinite(x) ? x.toFixed(3) : '—');
const interval = (ci: [number, number] | null): string => (ci === null ? '—' : `[${three(ci[0])}, ${three(ci[1])}]`);
const p = (x: number): string => (x < 0.001 ? '<0.001' : x.toFixed(3));

/** Clean against robust accuracy, in one line. */
export function robustnessHeadline(r: RobustnessJson): string {
  return `clean accuracy ${three(r.clean.value)} ${interval(r.clean.ci)}, robust accuracy ${three(r.robust.value)} ${interval(r.robust.ci)} (worst case over ${r.perturbations.length} perturbation${r.perturbations.length === 1 ? '' : 's'}, ${r.clean.n} cases): drop ${three(r.drop)}, McNemar p ${p(r.test.pValue)}`;
}

/** A row per perturbation: its accuracy, the same originals' clean accuracy, the drop and its test, the flips. */
export function robustnessRows(r: RobustnessJson): { header: string[]; rows: string[][] } {
  return {
    header: ['perturbation', 'kind', 'cases', 'accuracy [95% CI]', 'clean', 'drop', 'McNemar p', 'flipped'],
    rows: r.perturbations.map((x) => [
      x.name,
      `${x.kind}${x.directional ? ' (directional)' : ''}`,
      String(x.cases),
      `${three(x.accuracy.value)} ${interval(x.accuracy.ci)}`,
      three(x.cleanAccuracy),
      three(x.drop),
      p(x.test.pValue),
      x.flippedCount === 0
        ? '0'
        : `${x.flippedCount}: ${x.flipped.slice(0, 5).join(', ')}${x.flippedCount > 5 ? ', …' : ''}`,
    ]),
  };
}

/** The injection probes' attack success rate, in one line; null without probes. */
export function injectionHeadline(r: RobustnessJson): string | null {
  const i = r.injection;
  if (i === null) return null;
  const leak = i.canaryInPrompt
    ? 'the prompt shows the canary, so leak probes were sent'
    : 'the prompt never shows {{canary}}: leak probes were not sent';
  return `attack success rate ${three(i.attackSuccessRate.value)} ${interval(i.attackSuccessRate.ci)} over ${i.attackSuccessRate.n} answered attacks (${leak})`;
}

/** A row per probe: its kind, attacks answered, success rate with its interval, and where it succeeded. */
export function injectionRows(r: RobustnessJson): { header: string[]; rows: string[][] } {
  return {
    header: ['probe', 'kind', 'attacks', 'success rate [95% CI]', 'succeeded on'],
    rows: (r.injection?.probes ?? []).map((p) => [
      p.name,
      p.kind,
      String(p.attempts),
      `${three(p.rate.value)} ${interval(p.rate.ci)}`,
      p.succeededOn.slice(0, 5).join(', ') + (p.succeededOn.length > 5 ? ', …' : ''),
    ]),
  };
}
