import { describe, expect, it } from 'vitest';
import { formatMs, parseBytes, parseDurationMs, parseFraction } from './units.js';

describe('parseDurationMs', () => {
  it.each([
    ['250ms', 250],
    ['30s', 30_000],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['500us', 0.5],
    ['1.5s', 1500],
    ['10', 10_000],
    [3, 3000],
  ])('%s is %d ms', (text, expected) => {
    expect(parseDurationMs(text)).toBe(expected);
  });

  it.each(['', 'abc', '-5s', '5 days', '1e'])('rejects %s', (text) => {
    expect(parseDurationMs(text)).toBeNull();
  });
});

describe('parseFraction', () => {
  it('reads percentages and fractions', () => {
    expect(parseFraction('10%')).toBeCloseTo(0.1, 12);
    expect(parseFraction('0.25')).toBe(0.25);
    expect(parseFraction('%')).toBeNull();
    expect(parseFraction('x')).toBeNull();
  });
});

describe('formatMs', () => {
  it('chooses a unit by magnitude', () => {
    expect(formatMs(0.25)).toBe('250µs');
    expect(formatMs(12.345)).toBe('12.35ms');
    expect(formatMs(1234.5)).toBe('1234.5ms');
    expect(formatMs(12_345)).toBe('12.35s');
    expect(formatMs(null)).toBe('—');
  });
});

describe('parseBytes', () => {
  it('reads decimal and binary units, and refuses what is not a size', () => {
    expect(parseBytes('100MB')).toBe(100_000_000);
    expect(parseBytes('512 KiB')).toBe(524_288);
    expect(parseBytes('1.5gb')).toBe(1_500_000_000);
    expect(parseBytes('2048')).toBe(2048);
    for (const bad of ['lots', '', '10 parsecs', '-5MB']) expect(parseBytes(bad)).toBeNull();
  });
});
