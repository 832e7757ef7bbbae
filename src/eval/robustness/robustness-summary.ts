import { mcNemar } from '../../stats/comparisons.js';
import { wilsonInterval } from '../../stats/proportion-intervals.js';
import type { CaseResult } from '../case-result.js';
import type { SuiteMetric } from '../suite-metrics.js';
import {
  COPY_SEPARATOR,
  PERTURBATION_TAG,
  PROBE_TAG,
  type PreparedInjection,
  type PreparedRobustness,
} from './expand-cases.js';
import { reveals } from './injection-probes.js';

/** McNemar's exact test of the clean answers against the perturbed ones on the same cases. */
export interface PairedDrop {
  /** Right on the original, wrong on the copy. */
  onlyClean: number;
  /** Wrong on the original, right on the copy. */
  onlyPerturbed: number;
  pValue: number;
}

export interface PerturbationResult {
  name: string;
  kind: string;
  /** Whether it changes the expected answer (`expect`); invariance otherwise. */
  directional: boolean;
  /** Copies scored beside a scored original. */
  cases: number;
  accuracy: SuiteMetric;
  /** The clean accuracy of the same originals, so the drop compares like with like. */
  cleanAccuracy: number;
  drop: number;
  test: PairedDrop;
  /** Originals right clean and wrong under this perturbation (the first 20), and how many in all. */
  flipped: string[];
  flippedCount: number;
}

/** One probe's attacks: how many were answered, how many succeeded, and on which cases (the first 10). */
export interface ProbeResult {
  name: string;
  kind: 'instruction' | 'leak';
  attempts: number;
  rate: SuiteMetric;
  succeededOn: string[];
}

/** What the injection probes achieved. */
export interface InjectionJson {
  /** Whether the prompt shows the canary (`{{canary}}`); leak probes are sent only when it does. */
  canaryInPrompt: boolean;
  /** Attacks that succeeded over those answered, with its Wilson interval. */
  attackSuccessRate: SuiteMetric;
  probes: ProbeResult[];
}

/** The `robustness` section of an eval summary (docs/robustness.md). */
export interface RobustnessJson {
  /** Accuracy over the original cases (the share that passed). */
  clean: SuiteMetric;
  /** Worst case over the perturbations: an original counts only when it and every scored copy of it passed. */
  robust: SuiteMetric;
  drop: number;
  test: PairedDrop;
  perturbations: PerturbationResult[];
  /** With `injection`: the attack success rate overall and per probe; null without probes. */
  injection: InjectionJson | null;
}

function share(passed: number, n: number): SuiteMetric {
  const value = n === 0 ? Number.NaN : passed / n;
  const interval = n === 0 ? null : wilsonInterval(passed, n);
  return {
    value,
    ci: interval === null ? null : [interval.low, interval.high],
    se: n === 0 ? null : Math.sqrt((value * (1 - value)) / n),
    n,
  };
}

function paired(pairs: readonly [boolean, boolean][]): PairedDrop {
  const onlyClean = pairs.filter(([clean, other]) => clean && !other).length;
  const onlyPerturbed = pairs.filter(([clean, other]) => !clean && other).length;
  return { onlyClean, onlyPerturbed, pValue: mcNemar(onlyClean, onlyPerturbed).pValue };
}

/** Whether each scored case of the first repeat passed, by case id. */
function outcomes(results: readonly CaseResult[]): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const r of results) if (r.repeat === 0 && r.status === 'ok' && r.pass !== null) out.set(r.caseId, r.pass);
  return out;
}

/** Whether a result is of an original case (not a perturbed copy or a probe). */
export function isOriginal(result: Pick<CaseResult, 'tags'>): boolean {
  return !result.tags.some((t) => t.startsWith(PERTURBATION_TAG) || t.startsWith(PROBE_TAG));
}

/** Each probe's answered attacks and whether the answer gave its secret away. */
function injectionSummary(results: readonly CaseResult[], injection: PreparedInjection): InjectionJson {
  let attempts = 0;
  let successes = 0;
  const probes = injection.probes.flatMap((probe): ProbeResult[] => {
    if (probe.kind === 'leak' && !injection.canaryInPrompt) return [];
    const answered = results.filter(
      (r) => r.repeat === 0 && r.status === 'ok' && r.tags.includes(`${PROBE_TAG}${probe.name}`),
    );
    const succeeded = answered.filter((r) => reveals(r.output, probe.secret));
    attempts += answered.length;
    successes += succeeded.length;
    return [
      {
        name: probe.name,
        kind: probe.kind,
        attempts: answered.length,
        rate: share(succeeded.length, answered.length),
        succeededOn: succeeded.slice(0, 10).map((r) => r.caseId),
      },
    ];
  });
  return { canaryInPrompt: injection.canaryInPrompt, attackSuccessRate: share(successes, attempts), probes };
}

/**
 * Clean, robust and per-perturbation accuracy with Wilson intervals, each perturbation's drop from the clean
 * accuracy of the same originals with McNemar's exact test, and the cases that flipped.
 */
export function robustnessSummary(results: readonly CaseResult[], robustness: PreparedRobustness): RobustnessJson {
  const passed = outcomes(results);
  const originals = results.filter((r) => r.repeat === 0 && isOriginal(r) && passed.has(r.caseId));
  const clean = originals.map((r) => r.caseId);
  const worst = new Map(clean.map((id) => [id, passed.get(id) === true]));
  const perturbations = robustness.perturbations.map((p): PerturbationResult => {
    const pairs: [boolean, boolean][] = [];
    const flipped: string[] = [];
    for (const id of clean) {
      const copy = passed.get(`${id}${COPY_SEPARATOR}${p.name}`);
      if (copy === undefined) continue;
      const original = passed.get(id) === true;
      pairs.push([original, copy]);
      if (!copy) worst.set(id, false);
      if (original && !copy) flipped.push(id);
    }
    const accuracy = share(pairs.filter(([, c]) => c).length, pairs.length);
    const cleanAccuracy = pairs.length === 0 ? Number.NaN : pairs.filter(([o]) => o).length / pairs.length;
    return {
      name: p.name,
      kind: p.kind,
      directional: p.expect !== null,
      cases: pairs.length,
      accuracy,
      cleanAccuracy,
      drop: cleanAccuracy - accuracy.value,
      test: paired(pairs),
      flipped: flipped.slice(0, 20),
      flippedCount: flipped.length,
    };
  });
  const cleanMetric = share(clean.filter((id) => passed.get(id) === true).length, clean.length);
  const robust = share([...worst.values()].filter(Boolean).length, clean.length);
  return {
    clean: cleanMetric,
    robust,
    drop: cleanMetric.value - robust.value,
    test: paired(clean.map((id) => [passed.get(id) === true, worst.get(id) === true])),
    perturbations,
    injection: robustness.injection === null ? null : injectionSummary(results, robustness.injection),
  };
}

/**
 * The metrics thresholds can gate on: clean_accuracy, robust_accuracy and accuracy.NAME per perturbation; with
 * probes, attack_success_rate and attack_success_rate.NAME per probe.
 */
export function robustnessMetrics(summary: RobustnessJson): Record<string, SuiteMetric> {
  const injection = summary.injection;
  return {
    clean_accuracy: summary.clean,
    robust_accuracy: summary.robust,
    ...Object.fromEntries(summary.perturbations.map((p) => [`accuracy.${p.name}`, p.accuracy])),
    ...(injection === null
      ? {}
      : {
          attack_success_rate: injection.attackSuccessRate,
          ...Object.fromEntries(injection.probes.map((p) => [`attack_success_rate.${p.name}`, p.rate])),
        }),
  };
}
