import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CLI, freshDir, runCli } from './helpers/cli.js';

const CONFIG = fileURLToPath(new URL('../examples/bench/simulated-sweep.yaml', import.meta.url));

interface SweepSummary {
  status: string;
  steps: {
    label: string;
    latencyMs: { ttft: { p50: number } | null; itl: { p50: number } | null };
    requests: { completed: number; errored: number };
  }[];
  thresholds: { expr: string; pass: boolean }[];
  resources: { targetCpuPercent: { mean: number } | null };
}

describe('the simulated sweep example', () => {
  it('sweeps the simulator in its own process and measures its known schedule', async () => {
    const sim = spawn(process.execPath, [CLI, 'serve-sim', '--port', '0', '--ttft', '50ms', '--itl', '10ms'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const url = await new Promise<string>((resolve) =>
        createInterface({ input: sim.stdout }).once('line', (line) => resolve(line.trim())),
      );
      const cwd = freshDir();
      const result = await runCli(
        ['bench', '--config', CONFIG, '--url', url, '--target-pid', String(sim.pid), '--json'],
        { cwd },
      );
      expect(result.code).toBe(0);
      const summary = JSON.parse(result.stdout) as SweepSummary;
      expect(summary.status).toBe('completed');
      expect(summary.steps.map((s) => s.label.split(' ')[0])).toEqual([
        'synchronous',
        'throughput',
        'rate',
        'rate',
        'rate',
      ]);
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
      // Capacity from this sweep: the simulator keeps its schedule at any load, so every step meets a 100 ms TTFT SLO.
      const plan = JSON.parse(
        (
          await runCli(
            [
              'plan',
              (summary as unknown as { runId: string }).runId,
              '--slo',
              'p95(ttft) < 100ms',
              '--load',
              '500/s',
              '--headroom',
              '20%',
              '--json',
            ],
            { cwd },
          )
        ).stdout,
      ) as {
        sustainablePerS: number;
        steps: { achievedPerS: number; meetsSlo: boolean }[];
        load: { replicas: number };
      };
      expect(plan.steps.every((s) => s.meetsSlo)).toBe(true);
      expect(plan.sustainablePerS).toBe(Math.max(...plan.steps.map((s) => s.achievedPerS)));
      expect(plan.load.replicas).toBe(Math.ceil(600 / plan.sustainablePerS));
      const single = await runCli(
        [
          'bench',
          '--url',
          url,
          '--model',
          'm',
          '--profile',
          'concurrency',
          '--concurrency',
          '1',
          '--requests',
          '3',
          '--json',
        ],
        { cwd },
      );
      const refused = await runCli(['plan', (JSON.parse(single.stdout) as { runId: string }).runId], { cwd });
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('is not a sweep');
    } finally {
      sim.kill('SIGTERM');
    }
  }, 90_000);
});
