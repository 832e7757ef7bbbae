import type { ResourceSample } from '../core/types.js';
import { readGpu } from './gpu.js';
import { RaplCounters } from './rapl.js';
import { readProcessUsage, readSystemCpuMs } from './proc.js';

export interface SamplerOptions {
  intervalMs: number;
  /** A local target process to watch; null when the target is remote or unknown. */
  targetPid: number | null;
  /** Query nvidia-smi; skipped when it is not installed. */
  gpu: boolean;
}

/**
 * Samples the generator's own CPU and memory, system CPU, a local target process, GPUs, and the CPU package's power
 * (RAPL) while a run goes on.
 * CPU percentages are of one core (200% = two cores busy), as `top` shows them; system CPU is of all cores.
 */
export class ResourceSampler {
  readonly samples: ResourceSample[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly startedAtMs = performance.now();
  private lastAtMs = performance.now();
  private lastCpu = process.cpuUsage();
  private lastSystem = readSystemCpuMs();
  private lastTarget: { cpuS: number } | null;
  private gpuAvailable: boolean;
  private readonly rapl = RaplCounters.open();
  private lastEnergy = this.rapl?.read() ?? null;

  constructor(private readonly options: SamplerOptions) {
    this.lastTarget = options.targetPid === null ? null : readProcessUsage(options.targetPid);
    this.gpuAvailable = options.gpu;
  }

  start(): void {
    this.timer = setInterval(() => void this.sample(), this.options.intervalMs);
    this.timer.unref();
  }

  /** Takes one sample now. */
  async sample(): Promise<void> {
    const nowMs = performance.now();
    const elapsedMs = Math.max(1, nowMs - this.lastAtMs);
    const cpu = process.cpuUsage();
    const generatorCpuPercent =
      ((cpu.user - this.lastCpu.user + cpu.system - this.lastCpu.system) / 1000 / elapsedMs) * 100;
    const system = readSystemCpuMs();
    const totalDelta = system.totalMs - this.lastSystem.totalMs;
    const systemCpuPercent = totalDelta > 0 ? ((system.busyMs - this.lastSystem.busyMs) / totalDelta) * 100 : 0;
    let targetCpuPercent: number | null = null;
    let targetRssBytes: number | null = null;
    if (this.options.targetPid !== null) {
      const target = readProcessUsage(this.options.targetPid);
      if (target !== null && this.lastTarget !== null)
        targetCpuPercent = ((target.cpuS - this.lastTarget.cpuS) * 1000 * 100) / elapsedMs;
      targetRssBytes = target?.rssBytes ?? null;
      this.lastTarget = target;
    }
    const gpu = this.gpuAvailable ? await readGpu() : null;
    if (gpu === null) this.gpuAvailable = false;
    const energy = this.rapl?.read() ?? null;
    const joules =
      this.rapl !== null && energy !== null && this.lastEnergy !== null
        ? this.rapl.joulesBetween(this.lastEnergy, energy)
        : null;
    this.lastEnergy = energy;
    this.lastAtMs = nowMs;
    this.lastCpu = cpu;
    this.lastSystem = system;
    this.samples.push({
      atS: (nowMs - this.startedAtMs) / 1000,
      generatorCpuPercent,
      generatorRssBytes: process.memoryUsage.rss(),
      systemCpuPercent,
      targetCpuPercent,
      targetRssBytes,
      gpuUtilPercent: gpu?.utilPercent ?? null,
      gpuMemoryBytes: gpu?.memoryBytes ?? null,
      gpuPowerW: gpu?.powerW ?? null,
      cpuPackagePowerW: joules === null ? null : joules / (elapsedMs / 1000),
    });
  }

  async stop(): Promise<ResourceSample[]> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await this.sample();
    return this.samples;
  }
}

export interface ResourceStat {
  mean: number;
  max: number;
}

/** Mean and max of each resource series; null for series never measured. */
export function summarizeResources(samples: readonly ResourceSample[]): Record<string, ResourceStat | null> {
  const keys = [
    'generatorCpuPercent',
    'generatorRssBytes',
    'systemCpuPercent',
    'targetCpuPercent',
    'targetRssBytes',
    'gpuUtilPercent',
    'gpuMemoryBytes',
    'gpuPowerW',
    'cpuPackagePowerW',
  ] as const;
  return Object.fromEntries(
    keys.map((key) => {
      const values = samples.map((s) => s[key]).filter((v): v is number => v !== null);
      if (values.length === 0) return [key, null];
      return [key, { mean: values.reduce((a, b) => a + b, 0) / values.length, max: Math.max(...values) }];
    }),
  );
}
