import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RaplCounters } from './rapl.js';
import { ResourceSampler, summarizeResources } from './sampler.js';

/** A powercap tree like the kernel's: two packages, one with a sub-zone (its cores) that must not be added again. */
function fakePowercap(): { root: string; set(zone: string, uj: number): void } {
  const root = mkdtempSync(join(tmpdir(), 'ys-rapl-'));
  for (const zone of ['intel-rapl:0', 'intel-rapl:1', 'intel-rapl:0:0']) {
    mkdirSync(join(root, zone));
    writeFileSync(join(root, zone, 'name'), zone === 'intel-rapl:0:0' ? 'core' : `package-${zone.slice(-1)}`);
    writeFileSync(join(root, zone, 'max_energy_range_uj'), '262143328850');
    writeFileSync(join(root, zone, 'energy_uj'), '0');
  }
  return { root, set: (zone, uj) => writeFileSync(join(root, zone, 'energy_uj'), String(uj)) };
}

afterEach(() => {
  delete process.env.YARDSTICK_POWERCAP_ROOT;
});

describe('CPU package energy (RAPL)', () => {
  it('adds the package zones, not their sub-zones, and unwraps a counter that passed its range', () => {
    const fake = fakePowercap();
    const counters = RaplCounters.open(fake.root);
    expect(counters).not.toBeNull();
    fake.set('intel-rapl:0', 262_143_000_000);
    fake.set('intel-rapl:1', 5_000_000);
    const before = counters?.read() ?? [];
    fake.set('intel-rapl:0', 1_000_000); // wrapped: 328,850 µJ to the top, then 1,000,000 µJ
    fake.set('intel-rapl:1', 9_000_000);
    fake.set('intel-rapl:0:0', 999_999_999);
    expect(counters?.joulesBetween(before, counters.read())).toBeCloseTo((328_850 + 1_000_000 + 4_000_000) / 1e6, 9);
  });

  it('is not measured where there are no counters', () => {
    expect(RaplCounters.open(join(tmpdir(), 'no-such-powercap'))).toBeNull();
    expect(RaplCounters.open(mkdtempSync(join(tmpdir(), 'ys-empty-')))).toBeNull();
  });

  it('the sampler turns counter deltas into package power', async () => {
    const fake = fakePowercap();
    process.env.YARDSTICK_POWERCAP_ROOT = fake.root;
    const sampler = new ResourceSampler({ intervalMs: 60_000, targetPid: null, gpu: false });
    await new Promise((resolve) => setTimeout(resolve, 200));
    fake.set('intel-rapl:0', 6_000_000); // 6 J + 4 J over ≈0.2 s ≈ 50 W
    fake.set('intel-rapl:1', 4_000_000);
    const [sample] = await sampler.stop();
    expect(sample?.cpuPackagePowerW).toBeGreaterThan(30);
    expect(sample?.cpuPackagePowerW).toBeLessThan(51);
    expect(summarizeResources([sample ?? ({} as never)]).cpuPackagePowerW?.mean).toBe(sample?.cpuPackagePowerW);
  });
});
