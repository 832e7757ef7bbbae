import { execFile } from 'node:child_process';

export interface GpuReading {
  utilPercent: number;
  memoryBytes: number;
  powerW: number | null;
}

/**
 * Reads utilization, memory and power of all GPUs through `nvidia-smi` (summed memory and power, mean utilization).
 * Resolves null when nvidia-smi is absent or fails: the GPU is then "not measured", never zero.
 */
export function readGpu(timeoutMs = 2000): Promise<GpuReading | null> {
  return new Promise((resolve) => {
    execFile(
      'nvidia-smi',
      ['--query-gpu=utilization.gpu,memory.used,power.draw', '--format=csv,noheader,nounits'],
      { timeout: timeoutMs },
      (error, stdout) => {
        if (error !== null) return resolve(null);
        const rows = stdout
          .trim()
          .split('\n')
          .map((line) => line.split(',').map((v) => Number(v.trim())));
        const valid = rows.filter((r) => r.length >= 2 && Number.isFinite(r[0]) && Number.isFinite(r[1]));
        if (valid.length === 0) return resolve(null);
        const powers = valid.map((r) => r[2]).filter((p): p is number => p !== undefined && Number.isFinite(p));
        resolve({
          utilPercent: valid.reduce((s, r) => s + (r[0] ?? 0), 0) / valid.length,
          memoryBytes: valid.reduce((s, r) => s + (r[1] ?? 0), 0) * 1024 * 1024,
          powerW: powers.length === 0 ? null : powers.reduce((a, b) => a + b, 0),
        });
      },
    );
  });
}
