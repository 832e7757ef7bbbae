import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { readProcessUsage } from './proc.js';
import { ResourceSampler, summarizeResources } from './sampler.js';

describe('ResourceSampler', () => {
  it('measures a busy local process and reports the GPU as not measured when absent', async () => {
    const child = spawn(process.execPath, ['-e', 'const end = Date.now() + 3000; while (Date.now() < end) {}']);
    try {
      const sampler = new ResourceSampler({ intervalMs: 100, targetPid: child.pid ?? null, gpu: false });
      sampler.start();
      await new Promise((resolve) => setTimeout(resolve, 700));
      const samples = await sampler.stop();
      expect(samples.length).toBeGreaterThanOrEqual(5);
      const summary = summarizeResources(samples);
      expect(summary.targetCpuPercent?.mean).toBeGreaterThan(50); // a spinning process keeps about one core busy
      expect(summary.targetCpuPercent?.max).toBeLessThan(150);
      expect(summary.targetRssBytes?.max).toBeGreaterThan(10 * 1024 * 1024);
      expect(summary.generatorRssBytes?.max).toBe(Math.max(...samples.map((s) => s.generatorRssBytes)));
      expect(summary.gpuUtilPercent).toBeNull();
    } finally {
      child.kill();
    }
  });

  it('returns null for a process that does not exist', () => {
    expect(readProcessUsage(2 ** 30)).toBeNull();
  });
});
