import { describe, expect, it } from 'vitest';
import { parseThreshold, type Threshold } from '../efficiency/thresholds.js';
import type { BenchJson, StepJson } from '../efficiency/bench-json.js';
import { capacityPlan } from './capacity-plan.js';
import { saturationKnee } from './saturation-knee.js';

function step(label: string, rps: number, p95TtftMs: number, errored = 0): StepJson {
  const p = (v: number) => ({ mean: v, min: v, max: v, stddev: 0, p50: v, p90: v, p95: v, p99: v, p999: v });
  return {
    label,
    requests: { completed: 100 - errored, errored, incomplete: 0, resent: 0 },
    durationS: 10,
    throughput: { requestsPerS: rps, outputTokensPerS: rps * 10, goodputPerS: null },
    rate: { targetPerS: null, achievedPerS: rps },
    latencyMs: {
      e2e: p(p95TtftMs * 2),
      e2eFromIntended: p(p95TtftMs * 2),
      scheduleLag: p(0),
      ttft: p(p95TtftMs),
      ttfo: p(p95TtftMs),
      tpot: null,
      itl: null,
      chunkGap: null,
      dns: null,
      connect: null,
      tls: null,
      ttfb: null,
      receive: null,
    },
    errors: {},
    errorSamples: [],
    finishReasons: {},
    connections: { opened: 0, reused: 0, unknown: 0 },
  };
}

function sweep(steps: StepJson[]): BenchJson {
  return {
    runId: 'r1',
    target: { kind: 'openai-chat', name: 'llama', url: 'http://x', model: 'llama', streaming: true },
    profile: {},
    steps,
  } as unknown as BenchJson;
}

const slo = (expr: string): Threshold => {
  const parsed = parseThreshold(expr);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.value;
};

describe('capacity planning', () => {
  const run = sweep([
    step('synchronous', 5, 100),
    step('rate 20/s', 20, 150),
    step('rate 35/s', 35, 420),
    step('rate 50/s', 48, 900),
    step('throughput', 52, 3000, 4),
  ]);

  it('takes the highest rate that met every SLO and sizes replicas for the load with headroom', () => {
    const plan = capacityPlan(run, [slo('p95(ttft) < 500ms'), slo('error_rate < 1%')], { perS: 200, headroom: 0.3 });
    expect(plan.steps.map((s) => s.meetsSlo)).toEqual([true, true, true, false, false]);
    expect(plan.sustainablePerS).toBe(35);
    expect(plan.sustainableStep).toBe('rate 35/s');
    // 200/s × 1.3 = 260/s; 260 / 35 = 7.43 → 8 replicas.
    expect(plan.load).toEqual({ targetPerS: 200, headroom: 0.3, neededPerS: 260, replicas: 8 });
    expect(plan.steps[4]?.values['error_rate < 1%']).toBeCloseTo(0.04, 12);
    expect(plan.assumptions.some((a) => a.includes('linearly'))).toBe(true);
  });

  it('says so when no step meets the SLO', () => {
    const plan = capacityPlan(run, [slo('p95(ttft) < 50ms')], { perS: 10, headroom: 0 });
    expect(plan.sustainablePerS).toBeNull();
    expect(plan.load?.replicas).toBeNull();
  });

  it('finds the knee: the highest throughput within twice the lightest latency', () => {
    // e2e p95 is twice ttft here: 200, 300, 840, 1800, 6000 ms; twice the lightest is 400 ms.
    expect(
      saturationKnee(
        run.steps.map((s) => ({
          label: s.label,
          requestsPerS: s.throughput.requestsPerS,
          p95LatencyMs: s.latencyMs.e2e?.p95 ?? null,
        })),
      )?.label,
    ).toBe('rate 20/s');
    expect(saturationKnee([])).toBeNull();
  });
});
