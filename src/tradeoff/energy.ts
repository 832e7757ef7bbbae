import type { BenchJson } from '../efficiency/bench-json.js';

export interface EnergyPerWork {
  /** Joules per completed request and per output token, from the CPU package (RAPL) and the GPUs (nvidia-smi). */
  cpuPackageJPerRequest: number | null;
  cpuPackageJPerOutputToken: number | null;
  gpuJPerRequest: number | null;
  gpuJPerOutputToken: number | null;
  /** What was and was not measured, in words. */
  note: string;
}

function per(powerW: number | null | undefined, ratePerS: number | null | undefined): number | null {
  return powerW === null || powerW === undefined || ratePerS === null || ratePerS === undefined || ratePerS <= 0
    ? null
    : powerW / ratePerS;
}

/**
 * Energy per request and per output token of a bench run: mean power over the run ÷ the rate achieved in its
 * measurement window. It is the whole CPU package's (or GPU's) energy at that rate — the load generator and anything
 * else on the machine included — never an estimate from a model: without counters it is null, "not measured".
 */
export function energyPerWork(summary: BenchJson): EnergyPerWork {
  const cpu = summary.resources.cpuPackagePowerW?.mean ?? null;
  const gpu = summary.resources.gpuPowerW?.mean ?? null;
  const { requestsPerS, outputTokensPerS } = summary.throughput;
  const parts = [
    cpu === null
      ? 'CPU package: not measured (no readable RAPL counters under /sys/class/powercap)'
      : `CPU package: ${cpu.toFixed(1)} W mean (RAPL, whole package)`,
    gpu === null ? 'GPU: not measured (no nvidia-smi)' : `GPU: ${gpu.toFixed(1)} W mean (nvidia-smi)`,
  ];
  return {
    cpuPackageJPerRequest: per(cpu, requestsPerS),
    cpuPackageJPerOutputToken: per(cpu, outputTokensPerS),
    gpuJPerRequest: per(gpu, requestsPerS),
    gpuJPerOutputToken: per(gpu, outputTokensPerS),
    note: parts.join('; '),
  };
}
