import { describe, expect, it } from 'vitest';
import { tableOfRows } from '../src/data/table-of-rows.js';
import { defaultComparison } from '../src/drift/compare-tables.js';
import type { WindowInput, WindowSettings } from '../src/monitor/drift-window.js';
import { inProcessComparer, workerComparer } from '../src/monitor/window-comparer.js';

/** The compiled worker entry (`npm test` builds before it runs). */
const ENTRY = new URL('../dist/monitor/window-worker.js', import.meta.url);

const settings: WindowSettings = {
  minRows: 10,
  types: {},
  comparison: defaultComparison(),
};

const reference = tableOfRows(
  'reference.jsonl',
  Array.from({ length: 200 }, (_, i) => ({ n: i % 37, plan: i % 3 === 0 ? 'pro' : 'basic' })),
);

function input(index: number, shift: number): WindowInput {
  return {
    index,
    start: new Date(index * 1000),
    end: new Date(index * 1000 + 1000),
    rows: Array.from({ length: 100 }, (_, i) => ({ n: (i % 37) + shift, plan: i % 4 === 0 ? 'pro' : 'basic' })),
    seenRows: 100,
  };
}

describe('the drift window worker', () => {
  it('compares windows on its thread exactly as the calling thread would, in order', async () => {
    const worker = workerComparer(reference, settings, ENTRY);
    const local = inProcessComparer(reference, settings);
    try {
      const [stable, shifted] = await Promise.all([worker.compare(input(0, 0)), worker.compare(input(1, 30))]);
      expect(stable).toEqual(await local.compare(input(0, 0)));
      expect(shifted).toEqual(await local.compare(input(1, 30)));
      expect(stable?.index).toBe(0);
      expect(shifted?.drifted).toBe(true);
      expect(shifted?.findings.map((f) => f.check)).toContain('out-of-range');
    } finally {
      await worker.close();
    }
  });

  it('once the worker is gone, a comparison fails at once instead of never ending', async () => {
    const worker = workerComparer(reference, settings, ENTRY);
    await worker.close();
    await expect(worker.compare(input(0, 0))).rejects.toThrow(/the drift worker exited/);
  });
});
