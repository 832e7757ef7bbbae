import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, hostname, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';

const packageRoot = fileURLToPath(new URL('../../', import.meta.url));

/** yardstick's own version, from its package.json. */
export function yardstickVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}

function gitSha(): string | null {
  try {
    return (
      execFileSync('git', ['rev-parse', 'HEAD'], {
        cwd: packageRoot,
        stdio: ['ignore', 'pipe', 'ignore'],
        timeout: 2000,
      })
        .toString()
        .trim() || null
    );
  } catch {
    return null;
  }
}

/** Where a run was measured: enough to tell whether two runs are comparable. */
export interface Environment {
  cpuModel: string;
  cores: number;
  totalMemoryBytes: number;
  platform: string;
  arch: string;
  node: string;
  yardstickVersion: string;
  gitSha: string | null;
  hostname: string;
}

/** Describes this machine and this yardstick, for the run record. */
export function currentEnvironment(): Environment {
  const cpuList = cpus();
  return {
    cpuModel: cpuList[0]?.model ?? 'unknown',
    cores: cpuList.length,
    totalMemoryBytes: totalmem(),
    platform: process.platform,
    arch: process.arch,
    node: process.version,
    yardstickVersion: yardstickVersion(),
    gitSha: gitSha(),
    hostname: hostname(),
  };
}
