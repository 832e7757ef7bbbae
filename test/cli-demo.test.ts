import { describe, expect, it } from 'vitest';
import { freshDir, runCli } from './helpers/cli.js';

interface DemoSummary {
  status: string;
  steps: { label: string; latencyMs: { ttft: { p50: number } | null; itl: { p50: number } | null }; requests: { completed: number; errored: number } }[];
  thresholds: { expr: string; pass: boolean }[];
  resources: { targetCpuPercent: { mean: number } | null };
}

describe('yardstick demo', () => {
  it('sweeps the simulated server offline and measures its known schedule', async () => {
    const cwd = freshDir();
    const result = await runCli(['demo', '--json'], { cwd });
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as DemoSummary;
    expect(summary.status).toBe('completed');
    expect(summary.steps.map((s) => s.label.split(' ')[0])).toEqual(['synchronous', 'throughput', 'rate', 'rate', 'rate']);
    for (const step of summary.steps) {
      expect(step.requests.errored).toBe(0);
      expect(step.requests.completed).toBeGreaterThan(0);
    }
    const sync = summary.steps[0];
    // The simulator sends the first token after 50 ms and one every 10 ms.
    expect(sync?.latencyMs.ttft?.p50).toBeGreaterThan(49);
    expect(sync?.latencyMs.ttft?.p50).toBeLessThan(60);
    expect(sync?.latencyMs.itl?.p50).toBeGreaterThan(9);
    expect(sync?.latencyMs.itl?.p50).toBeLessThan(12);
    expect(summary.resources.targetCpuPercent).not.toBeNull();
    expect(summary.thresholds.every((t) => t.pass)).toBe(true);
    const list = JSON.parse((await runCli(['runs', 'list', '--json'], { cwd })).stdout) as { status: string }[];
    expect(list).toHaveLength(1);
  }, 90_000);
});
