import { describe, expect, it } from 'vitest';
import { measurementWindow, windowDurationNs } from './windows.js';

const none = { warmup: null, cooldown: null };

describe('measurementWindow', () => {
  it('measures a duration-limited step over its duration', () => {
    expect(measurementWindow({ ...none, durationMs: 10_000, maxRequests: null }, 5)).toEqual({
      kind: 'time',
      startAt: 5,
      endAt: 5 + 10e9,
    });
  });

  it('cuts warm-up and cool-down as times or shares of the duration', () => {
    const window = measurementWindow(
      { durationMs: 10_000, maxRequests: null, warmup: { fraction: 0.1 }, cooldown: { ms: 2000 } },
      0,
    );
    expect(window).toEqual({ kind: 'time', startAt: 1e9, endAt: 8e9 });
  });

  it('cuts shares of the requests when only a count limits the run', () => {
    expect(
      measurementWindow(
        { durationMs: null, maxRequests: 200, warmup: { fraction: 0.1 }, cooldown: { fraction: 0.05 } },
        0,
      ),
    ).toEqual({ kind: 'count', firstIndex: 20, endIndex: 190 });
    expect(measurementWindow({ ...none, durationMs: null, maxRequests: 200 }, 0)).toBeNull();
  });

  it('refuses windows that leave nothing to measure', () => {
    expect(() =>
      measurementWindow({ durationMs: 1000, maxRequests: null, warmup: { ms: 600 }, cooldown: { ms: 600 } }, 0),
    ).toThrow(/nothing of the run/);
    expect(() =>
      measurementWindow({ durationMs: null, maxRequests: 10, warmup: null, cooldown: { ms: 100 } }, 0),
    ).toThrow(/needs a run duration/);
  });
});

describe('windowDurationNs', () => {
  it('clips a time window to the traffic it saw', () => {
    const window = { kind: 'time', startAt: 100, endAt: 1100 } as const;
    expect(windowDurationNs(window, 100, 5000)).toBe(1000);
    expect(windowDurationNs(window, 100, 600)).toBe(500);
    expect(windowDurationNs(null, 200, 700)).toBe(500);
    expect(windowDurationNs(null, null, null)).toBe(0);
  });
});
