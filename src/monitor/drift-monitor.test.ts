import { describe, expect, it } from 'vitest';
import { seededRandom } from '../core/random.js';
import { tableOfRows } from '../data/table-of-rows.js';
import { compareTables, defaultComparison, type ComparisonOptions } from '../drift/compare-tables.js';
import { DriftMonitor } from './drift-monitor.js';
import type { DriftWindow } from './drift-window.js';
import { isDriftWindow } from './drift-window.js';
import { inProcessComparer } from './window-comparer.js';
import { parseWindowSpec } from './window-spec.js';

function normals(seed: number, n: number, shift: number): number[] {
  const random = seededRandom(seed);
  return Array.from({ length: n }, () => {
    const u = Math.max(random(), 1e-12);
    return shift + Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  });
}

const comparison: ComparisonOptions = defaultComparison();

const reference = tableOfRows(
  'reference.csv',
  normals(1, 400, 0).map((x, i) => ({ x, tier: i % 4 === 0 ? 'gold' : 'basic' })),
);

function monitor(window: string, windows: DriftWindow[], maxRows = 10_000, startMs = 0): DriftMonitor {
  const spec = parseWindowSpec(window);
  if (spec === null) throw new Error(`bad window ${window}`);
  return new DriftMonitor(
    {
      comparer: inProcessComparer(reference, { minRows: 30, types: {}, comparison }),
      window: spec,
      maxRows,
      seed: 3,
      onWindow: (w) => windows.push(w),
      onError: (message) => {
        throw new Error(message);
      },
    },
    startMs,
  );
}

describe('parseWindowSpec', () => {
  it('reads durations as time windows and integers as counts', () => {
    expect(parseWindowSpec('1h')).toEqual({ kind: 'time', ms: 3_600_000 });
    expect(parseWindowSpec('15m')).toEqual({ kind: 'time', ms: 900_000 });
    expect(parseWindowSpec('500')).toEqual({ kind: 'count', rows: 500 });
    expect(parseWindowSpec('0')).toBeNull();
    expect(parseWindowSpec('10ms')).toBeNull();
    expect(parseWindowSpec('soon')).toBeNull();
  });
});

describe('DriftMonitor', () => {
  it('closes a count window when it is full and tests it against the reference as `drift` would', async () => {
    const windows: DriftWindow[] = [];
    const m = monitor('200', windows);
    const same = normals(2, 200, 0);
    const shifted = normals(3, 200, 2);
    same.forEach((x, i) => m.add({ x, tier: i % 4 === 0 ? 'gold' : 'basic' }, 1000 + i));
    shifted.forEach((x) => m.add({ x, tier: 'platinum' }, 5000));
    await m.idle();
    expect(windows).toHaveLength(2);
    const [first, second] = windows as [DriftWindow, DriftWindow];
    expect(first.rows).toBe(200);
    expect(first.tested).toBe(true);
    expect(first.drifted).toBe(false);
    expect(first.findings).toEqual([]);
    const direct = compareTables(
      reference,
      tableOfRows(
        'w',
        same.map((x, i) => ({ x, tier: i % 4 === 0 ? 'gold' : 'basic' })),
      ),
      comparison,
    );
    const x = first.columns.find((c) => c.name === 'x');
    expect(x?.test).toBe('ks');
    expect(x?.statistic).toBe(direct.columns.find((c) => c.name === 'x')?.statistic);
    expect(x?.pValue).toBe(direct.columns.find((c) => c.name === 'x')?.pValue);
    expect(second.drifted).toBe(true);
    expect(second.columns.find((c) => c.name === 'x')?.drifted).toBe(true);
    // A binary reference column with a value it never has is tested by chi-square over all three values.
    expect(second.columns.find((c) => c.name === 'tier')).toMatchObject({ test: 'chi2', drifted: true });
    expect(second.findings.map((f) => f.check)).toEqual(['out-of-range', 'new-categories']);
    expect(second.start).toBe(new Date(1199).toISOString());
    expect(isDriftWindow(JSON.parse(JSON.stringify(second)))).toBe(true);
  });

  it('closes a time window at the first tick past its end, and the next at its own end', async () => {
    const windows: DriftWindow[] = [];
    const m = monitor('1m', windows, 10_000, 0);
    normals(4, 40, 0).forEach((x, i) => m.add({ x, tier: 'basic' }, i * 1000));
    expect(windows).toHaveLength(0);
    m.tick(59_999);
    await m.idle();
    expect(windows).toHaveLength(0);
    m.tick(60_000);
    await m.idle();
    expect(windows).toHaveLength(1);
    expect(windows[0]?.start).toBe(new Date(0).toISOString());
    expect(windows[0]?.end).toBe(new Date(60_000).toISOString());
    expect(windows[0]?.rows).toBe(40);
    // Quiet for three windows: no empty windows are recorded; the next one is aligned to the minute.
    m.add({ x: 0.1, tier: 'basic' }, 250_000);
    await m.close(250_500);
    expect(windows).toHaveLength(2);
    expect(windows[1]?.start).toBe(new Date(240_000).toISOString());
    expect(windows[1]?.end).toBe(new Date(250_500).toISOString());
    expect(windows[1]?.rows).toBe(1);
    expect(windows[1]?.tested).toBe(false);
    expect(windows[1]?.columns).toEqual([]);
  });

  it('keeps at most maxRows of a window, a uniform sample of all it saw', async () => {
    const windows: DriftWindow[] = [];
    const m = monitor('1000', windows, 100);
    for (let i = 0; i < 1000; i += 1) m.add({ x: i, tier: 'basic' });
    await m.idle();
    expect(windows[0]?.rows).toBe(100);
    expect(windows[0]?.seenRows).toBe(1000);
  });

  it('an error in the window is reported and the monitor goes on', async () => {
    const errors: string[] = [];
    const windows: DriftWindow[] = [];
    const m = new DriftMonitor({
      comparer: inProcessComparer(reference, {
        minRows: 1,
        types: {},
        comparison: { ...comparison, columns: ['nowhere'] },
      }),
      window: { kind: 'count', rows: 2 },
      maxRows: 10,
      seed: 1,
      onWindow: (w) => windows.push(w),
      onError: (message) => errors.push(message),
    });
    m.add({ x: 1 });
    m.add({ x: 2 });
    await m.idle();
    expect(windows).toHaveLength(0);
    expect(errors[0]).toMatch(/cannot compare window 0 with the reference: column nowhere is not in both files/);
  });
});
