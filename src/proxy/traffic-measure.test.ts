import { describe, expect, it } from 'vitest';
import { sampleSum } from '../../test/helpers/prometheus-text.js';
import type { Exchange } from '../core/types.js';
import { ExchangeMetrics } from '../prometheus/exchange-metrics.js';
import { loadClientTokenizer } from '../tokens/client-tokenizer.js';
import { TrafficMeasure } from './traffic-measure.js';
import { createTrafficRing, RingReader, RingWriter } from './traffic-ring.js';
import { TrafficKind, TrafficTap } from './traffic-tap.js';

const CHAT = Buffer.from(JSON.stringify({ model: 'm', stream: true, messages: [{ role: 'user', content: 'hi' }] }));
const EVENT = Buffer.from('data: {"choices":[{"delta":{"content":"a"}}]}\n\n');
const DONE = Buffer.from('data: [DONE]\n\n');

/** A tap and a measure joined by a ring, as the proxy joins its two threads. */
async function joined(ringBytes = 64 * 1024, onExchange: (exchange: Exchange) => void = () => undefined) {
  const memory = createTrafficRing(ringBytes);
  const metrics = new ExchangeMetrics([]);
  const errors: string[] = [];
  const passed: number[] = [];
  const measure = new TrafficMeasure(metrics, await loadClientTokenizer(), [], {
    onExchange: (exchange) => onExchange(exchange),
    onPassThrough: () => passed.push(1),
    onOwnError: (stage, message) => errors.push(`${stage}: ${message}`),
  });
  const reader = new RingReader(memory);
  return {
    tap: new TrafficTap(new RingWriter(memory)),
    metrics,
    errors,
    passed,
    measure: () => reader.drain((record) => measure.take(record)),
    inFlight: () => measure.inFlight,
  };
}

/** A streamed chat call of one token, from the tap's side, 5 ms to its first token. */
function streamedCall(tap: TrafficTap, id: number): void {
  tap.request(id, 1_000_000, 'POST', '/v1/chat/completions', CHAT);
  tap.head(id, 3_000_000, 200, 'text/event-stream', '');
  tap.data(id, 6_000_000, EVENT);
  tap.data(id, 7_000_000, DONE);
  tap.end(id, 7_000_000);
}

describe('TrafficMeasure', () => {
  it('hands on a copy of each request body when asked to keep them, and an empty one otherwise', async () => {
    for (const keep of [true, false]) {
      const memory = createTrafficRing(64 * 1024);
      const bodies: string[] = [];
      const measure = new TrafficMeasure(new ExchangeMetrics([]), await loadClientTokenizer(), [], {
        onExchange: (_exchange, _labels, body) => bodies.push(body.toString('utf8')),
        keepRequestBodies: keep,
        onOwnError: () => undefined,
      });
      const reader = new RingReader(memory);
      const tap = new TrafficTap(new RingWriter(memory));
      streamedCall(tap, 1);
      // Two calls, read one after the other from the same ring.
      reader.drain((record) => measure.take(record));
      streamedCall(tap, 2);
      reader.drain((record) => measure.take(record));
      expect(bodies).toEqual(keep ? [CHAT.toString('utf8'), CHAT.toString('utf8')] : ['', '']);
    }
  });

  it('measures a call from its records with the times the forwarding side took', async () => {
    const exchanges: Exchange[] = [];
    const side = await joined(64 * 1024, (exchange) => exchanges.push(exchange));
    streamedCall(side.tap, 1);
    side.tap.request(2, 8_000_000, 'GET', '/v1/models', null);
    side.tap.end(2, 9_000_000);
    side.tap.request(3, 10_000_000, 'POST', '/v1/chat/completions', CHAT);
    side.tap.resent(3);
    side.tap.fail(3, 12_000_000, { category: 'connection', message: 'ECONNRESET: gone', httpStatus: null });
    side.measure();
    const described = exchanges.map((e) => [
      e.status,
      e.firstTokenAt === null ? null : e.firstTokenAt - e.sentAt,
      e.network?.headersAt ?? null,
      e.resent === true,
      e.error?.message ?? null,
    ]);
    expect(described).toEqual([
      ['ok', 5_000_000, 3_000_000, false, null],
      ['error', null, null, true, 'ECONNRESET: gone'],
    ]);
    const text = await side.metrics.text();
    expect(sampleSum(text, 'yardstick_requests_total', { outcome: 'ok' })).toBe(1);
    expect(sampleSum(text, 'yardstick_requests_total', { outcome: 'connection' })).toBe(1);
    expect(side.passed).toHaveLength(1);
    expect(side.inFlight()).toBe(0);
    expect(side.errors).toEqual([]);
  });

  it('stops measuring a call whose measuring fails, reports it once, and measures the next', async () => {
    let calls = 0;
    const side = await joined(64 * 1024, () => {
      calls += 1;
      if (calls === 1) throw new Error('a bug in measuring');
    });
    streamedCall(side.tap, 1);
    streamedCall(side.tap, 2);
    side.measure();
    expect(calls).toBe(2);
    expect(side.errors).toEqual(['measure: a bug in measuring']);
    expect(side.inFlight()).toBe(0);
    expect(sampleSum(await side.metrics.text(), 'yardstick_requests_in_flight')).toBe(0);
  });

  it('counts a call whose records the full ring dropped as unmeasured, once there is room to say so', async () => {
    const requestLine = Buffer.from('POST /v1/chat/completions\n');
    const head = Buffer.from('200\ntext/event-stream\n');
    const recordBytes = (payload: number): number => (24 + payload + 7) & ~7;
    // Room for the request, its head and one event, and nothing after them.
    const side = await joined(
      recordBytes(requestLine.length + CHAT.length) + recordBytes(head.length) + recordBytes(EVENT.length) + 8,
    );
    side.tap.request(1, 1_000_000, 'POST', '/v1/chat/completions', CHAT);
    side.tap.head(1, 2_000_000, 200, 'text/event-stream', '');
    side.tap.data(1, 3_000_000, EVENT);
    side.tap.data(1, 4_000_000, DONE);
    side.tap.end(1, 5_000_000);
    side.measure();
    expect(side.inFlight()).toBe(1);
    // The ring is read now: the tap says what it dropped on its next retry.
    await new Promise((resolve) => setTimeout(resolve, 120));
    side.measure();
    const text = await side.metrics.text();
    expect(sampleSum(text, 'yardstick_requests_total', { outcome: 'unmeasured' })).toBe(1);
    expect(sampleSum(text, 'yardstick_requests_in_flight')).toBe(0);
    expect(side.errors).toHaveLength(1);
    expect(side.errors[0]).toContain('fell behind');
    // Read as fast as it is written, the same small ring carries a whole call again.
    side.tap.request(2, 6_000_000, 'POST', '/v1/chat/completions', CHAT);
    side.measure();
    side.tap.head(2, 7_000_000, 200, 'text/event-stream', '');
    side.tap.data(2, 8_000_000, EVENT);
    side.measure();
    side.tap.data(2, 9_000_000, DONE);
    side.tap.end(2, 9_000_000);
    side.measure();
    expect(sampleSum(await side.metrics.text(), 'yardstick_requests_total', { outcome: 'ok' })).toBe(1);
    side.tap.close();
  });

  it('reads a failure it cannot parse as a connection error', async () => {
    const memory = createTrafficRing(1024);
    const writer = new RingWriter(memory);
    const metrics = new ExchangeMetrics([]);
    const errors: string[] = [];
    const exchanges: Exchange[] = [];
    const measure = new TrafficMeasure(metrics, await loadClientTokenizer(), [], {
      onExchange: (exchange) => exchanges.push(exchange),
      onOwnError: (stage, message) => errors.push(`${stage}: ${message}`),
    });
    writer.write(TrafficKind.request, 1, 0, Buffer.from('POST /v1/chat/completions\n'), CHAT);
    writer.write(TrafficKind.fail, 1, 1, Buffer.from('not json'));
    new RingReader(memory).drain((record) => measure.take(record));
    expect(exchanges.map((e) => e.error?.category)).toEqual(['connection']);
    expect(errors).toEqual([]);
  });
});
