import { describe, expect, it } from 'vitest';
import { LATENCY_METRICS, type Exchange } from '../core/types.js';
import { seededRandom } from '../core/random.js';
import { MetricsRecorder } from '../efficiency/recorder.js';
import { encodeMessage, fromShardMessage, toShardMessage, type FromShard } from './shard-messages.js';

const MS = 1e6;

/** A streamed exchange with lognormal-ish timings, sent at `sentAt`. */
function exchange(random: () => number, index: number): Exchange {
  const sentAt = index * 2 * MS;
  const lag = random() * random() * 3 * MS;
  const ttft = (5 + 200 * random() ** 3) * MS;
  const gaps = Array.from({ length: 1 + Math.floor(random() * 6) }, () => (0.5 + 40 * random() ** 4) * MS);
  let at = sentAt + lag + ttft;
  const chunks = [{ receivedAt: at, tokens: 1, hasContent: true }];
  for (const gap of gaps)
    chunks.push({ receivedAt: (at += gap), tokens: 1 + Math.floor(random() * 3), hasContent: true });
  const failed = random() < 0.03;
  return {
    index,
    intendedAt: sentAt,
    sentAt: sentAt + lag,
    firstTokenAt: chunks[0]?.receivedAt ?? null,
    firstContentAt: chunks[0]?.receivedAt ?? null,
    endedAt: at,
    chunks,
    streamed: true,
    tokensIn: 32,
    tokensOut: chunks.reduce((sum, c) => sum + c.tokens, 0),
    tokenSource: 'server',
    clientTokensOut: null,
    output: 'x',
    status: failed ? 'error' : 'ok',
    error: failed ? { category: 'http_5xx', message: 'HTTP 503', httpStatus: 503 } : null,
    network: { reused: random() < 0.9, dnsNs: null, connectNs: null, tlsNs: null, headersAt: sentAt + lag + ttft / 2 },
  };
}

/** Through the wire as a worker sends it, and back. */
function overTheWire(message: FromShard): FromShard | null {
  return fromShardMessage(encodeMessage(message));
}

describe('shard messages', () => {
  it('merged shard windows give the percentiles of one histogram holding every sample', () => {
    const random = seededRandom(7);
    const all = new MetricsRecorder(null, []);
    const shards = [0, 1, 2].map(() => new MetricsRecorder(null, []));
    const received = new MetricsRecorder(null, []);
    // Three shards, each sending its state per window and starting a new window after each: 4,000 exchanges.
    for (let window = 0; window < 4; window += 1) {
      for (let i = 0; i < 1000; i += 1) {
        const e = exchange(random, window * 1000 + i);
        all.record(e);
        shards[i % 3]?.record(e);
      }
      for (const [shard, recorder] of shards.entries()) {
        const back = overTheWire({ type: 'done', shard, state: recorder.serialize() });
        if (back?.type !== 'done') throw new Error('the state did not survive the wire');
        received.merge(back.state);
        shards[shard] = new MetricsRecorder(null, []);
      }
    }
    expect(received.counts).toEqual(all.counts);
    for (const metric of LATENCY_METRICS) {
      const merged = received.histogram(metric).statsMs();
      const one = all.histogram(metric).statsMs();
      if (one === null) {
        expect(merged).toBeNull();
        continue;
      }
      // Percentiles and extremes exactly; the mean and spread to float rounding (summed in another order).
      const { mean, stddev, ...exact } = one;
      expect(merged).toMatchObject(exact);
      expect(merged?.mean).toBeCloseTo(mean, 9);
      expect(merged?.stddev).toBeCloseTo(stddev, 9);
    }
    expect(all.histogram('ttft').statsMs()?.count).toBeGreaterThan(3800);
  });

  it('keeps Infinity in a step spec (an open-ended window) and drops what is not a message', () => {
    const spec = {
      shardIndex: 1,
      shardCount: 2,
      step: { kind: 'closed', label: 'c', users: 4, targetRatePerS: null },
      startAt: 5,
      stopSendingAt: null,
      maxRequests: 100,
      window: { kind: 'time', startAt: 6, endAt: Infinity },
      slos: [],
    } as const;
    const back = toShardMessage(encodeMessage({ type: 'run', spec: { ...spec, slos: [] } }));
    expect(back).toEqual({ type: 'run', spec });
    expect(toShardMessage(Buffer.from('not v8'))).toBeNull();
    expect(fromShardMessage(encodeMessage({ type: 'ping', id: 1 }))).toBeNull();
    expect(toShardMessage(encodeMessage({ type: 'hello', shard: 0, worker: 'w' }))).toBeNull();
  });
});
