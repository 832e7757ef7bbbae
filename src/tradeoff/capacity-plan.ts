import type { Threshold } from '../efficiency/thresholds.js';
import { compare } from '../core/threshold-grammar.js';
import { thresholdValue } from '../efficiency/thresholds.js';
import type { BenchJson, StepJson } from '../efficiency/bench-json.js';
import { saturationKnee } from './saturation-knee.js';

export interface PlanStep {
  label: string;
  achievedPerS: number;
  errorRate: number;
  /** Each SLO expression's measured value at this step (null: not measured, which fails it). */
  values: Record<string, number | null>;
  meetsSlo: boolean;
}

/** The `--json` output of `yardstick plan`. */
export interface CapacityPlanJson {
  schemaVersion: 1;
  kind: 'plan';
  runId: string;
  target: string;
  slo: string[];
  steps: PlanStep[];
  /** The highest achieved request rate among steps that met every SLO; null when none did. */
  sustainablePerS: number | null;
  sustainableStep: string | null;
  /** The saturation knee of the sweep (see docs/metrics.md). */
  knee: { label: string; requestsPerS: number } | null;
  load: { targetPerS: number; headroom: number; neededPerS: number; replicas: number | null } | null;
  assumptions: string[];
}

function stepValue(threshold: Threshold, step: StepJson): number | null {
  const total = step.requests.completed + step.requests.errored;
  return thresholdValue(threshold, {
    latencyMs: step.latencyMs,
    latencyBounds: step.validity?.bounds,
    throughput: step.throughput,
    achievedPerS: step.rate.achievedPerS,
    errorRate: total === 0 ? null : step.requests.errored / total,
  });
}

/**
 * Capacity from a sweep: each step checked against the SLOs; the highest rate a step achieved while meeting them
 * all is the sustainable rate of one replica; replicas for a target load are ⌈load × (1 + headroom) ÷ that rate⌉.
 */
export function capacityPlan(
  run: BenchJson,
  slo: readonly Threshold[],
  load: { perS: number; headroom: number } | null,
): CapacityPlanJson {
  const steps: PlanStep[] = run.steps.map((step) => {
    const values = Object.fromEntries(slo.map((t) => [t.expr, stepValue(t, step)]));
    const meetsSlo = slo.every((t) => {
      const value = values[t.expr];
      return value !== null && value !== undefined && compare(value, t.op, t.limit);
    });
    const total = step.requests.completed + step.requests.errored;
    return {
      label: step.label,
      achievedPerS: step.throughput.requestsPerS,
      errorRate: total === 0 ? 0 : step.requests.errored / total,
      values,
      meetsSlo,
    };
  });
  // A capacity search's short steps can pass a little over the capacity while the queue is still short: only rates
  // below the lowest one that failed in the search (its confirmation included) are taken as sustainable.
  const failedAt = run.sloSearch?.interval?.[1] ?? null;
  const sustainable = (i: number): boolean => failedAt === null || (run.steps[i]?.rate.targetPerS ?? 0) < failedAt;
  const best =
    steps.filter((s, i) => s.meetsSlo && sustainable(i)).sort((a, b) => b.achievedPerS - a.achievedPerS)[0] ?? null;
  const knee = saturationKnee(
    run.steps.map((s) => ({
      label: s.label,
      requestsPerS: s.throughput.requestsPerS,
      p95LatencyMs: s.latencyMs.e2e?.p95 ?? null,
    })),
  );
  const needed = load === null ? null : load.perS * (1 + load.headroom);
  return {
    schemaVersion: 1,
    kind: 'plan',
    runId: run.runId,
    target: run.target.name,
    slo: slo.map((t) => t.expr),
    steps,
    sustainablePerS: best?.achievedPerS ?? null,
    sustainableStep: best?.label ?? null,
    knee: knee === null ? null : { label: knee.label, requestsPerS: knee.requestsPerS },
    load:
      load === null || needed === null
        ? null
        : {
            targetPerS: load.perS,
            headroom: load.headroom,
            neededPerS: needed,
            replicas: best === null || best.achievedPerS <= 0 ? null : Math.ceil(needed / best.achievedPerS),
          },
    assumptions: [
      'capacity scales linearly with replicas: no shared bottleneck (database, network, a shared GPU) between them',
      `measured on this hardware, with this run's requests (${run.target.model ?? run.target.name}); other prompts or output lengths change it`,
      'the sustainable rate is a measured step, not an interpolation: the true limit lies between it and the next step up',
    ],
  };
}
