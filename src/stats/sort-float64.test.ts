import { describe, expect, it } from 'vitest';
import { seededRandom } from '../core/random.js';
import { sortFloat64 } from './sort-float64.js';

describe('sortFloat64', () => {
  it('orders exactly as the built-in sort: negatives, −0 and +0, infinities, ties, tiny and huge values', () => {
    const random = seededRandom(5);
    for (const n of [10, 5000, 70_000]) {
      const values = Float64Array.from({ length: n }, (_, i) => {
        const r = random();
        if (i % 97 === 0) return [-0, 0, Infinity, -Infinity, 5e-324, -5e-324, 1.7e308][i % 7] as number;
        return r < 0.3 ? Math.round(r * 1000) : (r - 0.5) * 10 ** Math.floor(random() * 40 - 20);
      });
      const expected = Float64Array.from(values).sort();
      const got = sortFloat64(Float64Array.from(values));
      expect(got.every((v, i) => Object.is(v, expected[i]))).toBe(true);
    }
  });
  it('sorts a view into a larger buffer in place', () => {
    const buffer = new Float64Array(10_000).map((_, i) => 10_000 - i);
    const view = buffer.subarray(2, 9002);
    sortFloat64(view);
    expect(view[0]).toBe(999);
    expect(view[8999]).toBe(9998);
    expect(buffer[0]).toBe(10_000);
  });
});
