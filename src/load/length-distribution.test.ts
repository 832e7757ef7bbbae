import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../core/random.js';
import { describeLengths, lengthSampler, parseLengthsFlag, type LengthDistribution } from './length-distribution.js';

function draws(d: LengthDistribution, n = 40_000): number[] {
  const sample = lengthSampler(d, seededRandom(4));
  return Array.from({ length: n }, sample);
}

function moments(values: number[]): { mean: number; sd: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return { mean, sd: Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1)) };
}

describe('length distributions', () => {
  it('draw whole lengths with the mean and spread asked for', () => {
    const lognormal = draws({ distribution: 'lognormal', mean: 200, sd: 100 });
    expect(moments(lognormal).mean).toBeGreaterThan(197);
    expect(moments(lognormal).mean).toBeLessThan(203);
    expect(moments(lognormal).sd).toBeGreaterThan(95);
    expect(moments(lognormal).sd).toBeLessThan(105);
    const normal = draws({ distribution: 'normal', mean: 100, sd: 10, max: 110 });
    expect(Math.max(...normal)).toBe(110);
    expect(normal.every((v) => Number.isInteger(v) && v >= 1)).toBe(true);
    const uniform = draws({ distribution: 'uniform', min: 3, max: 7 });
    expect(new Set(uniform)).toEqual(new Set([3, 4, 5, 6, 7]));
    expect(draws({ distribution: 'fixed', value: 9 }, 10)).toEqual(Array(10).fill(9));
  });

  it('draw from a file of lengths, and name the line of one that is not a length', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ys-lengths-'));
    writeFileSync(join(dir, 'ok.txt'), '# from a trace\n10\n20\n\n30\n');
    expect(new Set(draws({ distribution: 'empirical', file: join(dir, 'ok.txt') }, 500))).toEqual(
      new Set([10, 20, 30]),
    );
    writeFileSync(join(dir, 'bad.txt'), '10\nten\n');
    expect(() => draws({ distribution: 'empirical', file: join(dir, 'bad.txt') })).toThrow(
      /lines that are not lengths/,
    );
  });

  it('read from flags', () => {
    expect(parseLengthsFlag('lognormal:200:100')).toEqual({ distribution: 'lognormal', mean: 200, sd: 100 });
    expect(parseLengthsFlag('uniform:5:50')).toEqual({ distribution: 'uniform', min: 5, max: 50 });
    expect(parseLengthsFlag('empirical:/tmp/a:b.txt')).toEqual({ distribution: 'empirical', file: '/tmp/a:b.txt' });
    expect(parseLengthsFlag('gaussian:1:2')).toBeNull();
    expect(parseLengthsFlag('uniform:5')).toBeNull();
    expect(describeLengths({ distribution: 'normal', mean: 5, sd: 1 })).toBe('normal(mean 5, sd 1)');
  });
});
