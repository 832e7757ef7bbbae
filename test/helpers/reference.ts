import { readFileSync } from 'node:fs';
import { expect } from 'vitest';

/** Reads a reference-value file written by test/fixtures/reference/generate.py, turning "NaN"/"Infinity" back into numbers. */
export function readReference<T>(name: string): T {
  const text = readFileSync(new URL(`../fixtures/reference/${name}`, import.meta.url), 'utf8');
  return JSON.parse(text, (_key, value: unknown) => {
    if (value === 'NaN') return Number.NaN;
    if (value === 'Infinity') return Infinity;
    if (value === '-Infinity') return -Infinity;
    return value;
  }) as T;
}

/** Relative tolerance of every comparison with scikit-learn and scipy. */
export const RELATIVE_TOLERANCE = 1e-9;

/** Asserts two numbers agree to 1e-9 relative (absolute near zero); NaN matches only NaN. */
export function expectClose(actual: number, expected: number, what: string): void {
  if (Number.isNaN(expected)) {
    expect(actual, what).toBeNaN();
    return;
  }
  if (!Number.isFinite(expected)) {
    expect(actual, what).toBe(expected);
    return;
  }
  const tolerance = RELATIVE_TOLERANCE * Math.max(1, Math.abs(expected));
  expect(Math.abs(actual - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance);
}

/** Element-wise `expectClose` over arrays (or nested arrays). */
export function expectAllClose(actual: ArrayLike<number> | number[][], expected: unknown, what: string): void {
  const flat = (v: unknown): number[] =>
    Array.isArray(v) || ArrayBuffer.isView(v) ? Array.from(v as ArrayLike<unknown>).flatMap(flat) : [v as number];
  const a = flat(actual);
  const e = flat(expected);
  expect(a.length, `${what}: length`).toBe(e.length);
  a.forEach((value, i) => expectClose(value, e[i] as number, `${what}[${i}]`));
}
