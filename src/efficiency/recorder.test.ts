import { describe, expect, it } from 'vitest';
import type { Exchange } from '../core/types.js';
import { MetricsRecorder } from './recorder.js';
import { parseSlo } from './thresholds.js';

const MS = 1e6;

function exchange(overrides: Partial<Exchange>): Exchange {
  return {
    index: 0,
    intendedAt: null,
    sentAt: 0,
    firstTokenAt: 10 * MS,
    firstContentAt: 10 * MS,
    endedAt: 40 * MS,
    chunks: [
      { receivedAt: 10 * MS, tokens: 1, hasContent: true },
      { receivedAt: 20 * MS, tokens: 4, hasContent: true },
      { receivedAt: 40 * MS, tokens: 2, hasContent: true },
    ],
    streamed: true,
    tokensIn: 5,
    tokensOut: 7,
    tokenSource: 'server',
    clientTokensOut: 7,
    output: 'x',
    status: 'ok',
    error: null,
    ...overrides,
  };
}

describe('MetricsRecorder', () => {
  it('records network phases and counts new, reused and undescribed connections, across merges', () => {
    const recorder = new MetricsRecorder(null, []);
    recorder.record(
      exchange({ network: { reused: false, dnsNs: 1 * MS, connectNs: 2 * MS, tlsNs: 3 * MS, headersAt: 8 * MS } }),
    );
    recorder.record(
      exchange({ network: { reused: true, dnsNs: null, connectNs: null, tlsNs: null, headersAt: 6 * MS } }),
    );
    recorder.record(
      exchange({ network: { reused: null, dnsNs: null, connectNs: null, tlsNs: null, headersAt: 9 * MS } }),
    );
    recorder.record(exchange({})); // a local model: no network at all
    const merged = new MetricsRecorder(null, []);
    merged.merge(recorder.serialize());
    merged.merge(recorder.serialize());
    expect(merged.counts.connections).toEqual({ opened: 2, reused: 2, unknown: 4 });
    expect(merged.histogram('dns').statsMs()).toMatchObject({ count: 2, min: 1, max: 1 });
    expect(merged.histogram('connect').statsMs()).toMatchObject({ count: 2 });
    expect(merged.histogram('connect').statsMs()?.p50).toBeCloseTo(2, 2);
    expect(merged.histogram('tls').statsMs()?.p50).toBeCloseTo(3, 2);
    // ttfb from the send to the head; receive from the head to the end (40 ms).
    expect(merged.histogram('ttfb').statsMs()).toMatchObject({ count: 6 });
    expect(merged.histogram('ttfb').statsMs()?.min).toBeCloseTo(6, 2);
    expect(merged.histogram('receive').statsMs()?.max).toBeCloseTo(34, 1);
  });

  it('spreads each chunk gap over the tokens of the chunk', () => {
    const recorder = new MetricsRecorder(null, []);
    recorder.record(exchange({}));
    const itl = recorder.histogram('itl').statsMs();
    const gap = recorder.histogram('chunkGap').statsMs();
    expect(itl?.count).toBe(6); // 4 + 2 tokens after the first chunk
    expect(itl?.min).toBeCloseTo(2.5, 9); // 10 ms over 4 tokens
    expect(itl?.max).toBeCloseTo(10, 9); // 20 ms over 2 tokens
    expect(itl?.mean).toBeCloseTo((4 * 2.5 + 2 * 10) / 6, 9);
    expect(gap?.count).toBe(2);
    expect(recorder.histogram('tpot').statsMs()?.mean).toBeCloseTo(30 / 6, 9);
    expect(recorder.histogram('ttft').statsMs()?.mean).toBeCloseTo(10, 9);
    expect(recorder.histogram('e2e').statsMs()?.mean).toBeCloseTo(40, 9);
  });

  it('measures open-loop requests from the intended send too', () => {
    const recorder = new MetricsRecorder(null, []);
    recorder.record(exchange({ intendedAt: -5 * MS }));
    expect(recorder.histogram('scheduleLag').statsMs()?.mean).toBeCloseTo(5, 9);
    expect(recorder.histogram('e2eFromIntended').statsMs()?.mean).toBeCloseTo(45, 9);
  });

  it('counts errors by category and misses, and goodput only for requests meeting every SLO', () => {
    const slo = parseSlo('ttft < 15ms');
    if (!slo.ok) throw new Error(slo.message);
    const recorder = new MetricsRecorder(null, [slo.value]);
    recorder.record(exchange({}));
    recorder.record(exchange({ firstTokenAt: 20 * MS }));
    recorder.record(exchange({ status: 'error', error: { category: 'http_5xx', message: '500', httpStatus: 500 } }));
    recorder.record(
      exchange({ status: 'cancelled', error: { category: 'cancelled', message: 'stop', httpStatus: null } }),
    );
    expect(recorder.counts).toMatchObject({ completed: 2, errored: 1, incomplete: 1, good: 1 });
    expect(recorder.counts.errors.http_5xx).toBe(1);
  });

  it('reports where the client tokenizer disagrees with server usage', () => {
    const recorder = new MetricsRecorder(null, []);
    recorder.record(exchange({ clientTokensOut: 9 }));
    recorder.record(exchange({}));
    recorder.record(exchange({ tokenSource: 'client' }));
    expect(recorder.counts).toMatchObject({
      tokenMismatchRequests: 1,
      tokenMismatchAbsSum: 2,
      serverCountedRequests: 2,
      clientCountedRequests: 1,
    });
  });

  it('leaves requests outside the window out', () => {
    const recorder = new MetricsRecorder({ kind: 'count', firstIndex: 1, endIndex: 2 }, []);
    for (let index = 0; index < 3; index += 1) recorder.record(exchange({ index }));
    expect(recorder.counts).toMatchObject({ completed: 1, excluded: 2 });
  });
});
