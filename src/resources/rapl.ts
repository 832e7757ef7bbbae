import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the kernel exposes RAPL energy counters; `YARDSTICK_POWERCAP_ROOT` points elsewhere (tests). */
export function powercapRoot(): string {
  return process.env.YARDSTICK_POWERCAP_ROOT ?? '/sys/class/powercap';
}

interface Zone {
  path: string;
  maxUj: number;
}

function readNumber(path: string): number | null {
  try {
    const value = Number(readFileSync(path, 'utf8').trim());
    return Number.isFinite(value) ? value : null;
  } catch {
    return null;
  }
}

/**
 * The CPU package energy counters (Intel and AMD RAPL through powercap: `intel-rapl:N` zones, whose sub-zones are
 * parts of the package and not added again). Reading them needs permission on most kernels; a zone that cannot be
 * read is left out, and no readable zone means energy is not measured.
 */
export class RaplCounters {
  private constructor(private readonly zones: Zone[]) {}

  /** The readable package zones under the root, or null when there are none. */
  static open(root = powercapRoot()): RaplCounters | null {
    let names: string[];
    try {
      names = readdirSync(root);
    } catch {
      return null;
    }
    const zones = names
      .filter((name) => /^intel-rapl:\d+$/.test(name))
      .map((name) => ({ path: join(root, name), maxUj: readNumber(join(root, name, 'max_energy_range_uj')) ?? 0 }))
      .filter((zone) => readNumber(join(zone.path, 'energy_uj')) !== null);
    return zones.length === 0 ? null : new RaplCounters(zones);
  }

  /** Each zone's counter now, in microjoules (null for a zone that stopped being readable). */
  read(): (number | null)[] {
    return this.zones.map((zone) => readNumber(join(zone.path, 'energy_uj')));
  }

  /** Joules between two readings, summed over zones; a counter that wrapped past its range is unwrapped once. */
  joulesBetween(before: readonly (number | null)[], after: readonly (number | null)[]): number | null {
    let total = 0;
    for (const [i, zone] of this.zones.entries()) {
      const a = before[i];
      const b = after[i];
      if (a === null || a === undefined || b === null || b === undefined) return null;
      total += b >= a ? b - a : b + zone.maxUj - a;
    }
    return total / 1e6;
  }
}
