import { describe, expect, it } from 'vitest';
import type { BenchJson } from '../efficiency/bench-json.js';
import { energyLine } from '../report/console-bench.js';
import { energyPerWork } from './energy.js';

function bench(cpuW: number | null, gpuW: number | null): BenchJson {
  return {
    throughput: { requestsPerS: 100, outputTokensPerS: 1000, goodputPerS: null },
    resources: {
      cpuPackagePowerW: cpuW === null ? null : { mean: cpuW, max: cpuW },
      gpuPowerW: gpuW === null ? null : { mean: gpuW, max: gpuW },
    },
  } as unknown as BenchJson;
}

describe('energy per request', () => {
  it('divides mean power by the achieved rate', () => {
    const e = energyPerWork(bench(50, 200));
    expect(e.cpuPackageJPerRequest).toBeCloseTo(0.5, 12);
    expect(e.cpuPackageJPerOutputToken).toBeCloseTo(0.05, 12);
    expect(e.gpuJPerRequest).toBeCloseTo(2, 12);
    expect(energyLine(e)).toContain(
      'CPU package 0.50 J per request, 50.00 mJ per output token; GPU 2.00 J per request',
    );
  });

  it('says "not measured" rather than estimating', () => {
    const e = energyPerWork(bench(null, null));
    expect(e.cpuPackageJPerRequest).toBeNull();
    expect(e.gpuJPerRequest).toBeNull();
    expect(energyLine(e)).toMatch(/^not measured \(CPU package: not measured .*; GPU: not measured/);
  });
});
