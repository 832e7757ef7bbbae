import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { NS_PER_S } from '../core/clock.js';
import type { Exchange } from '../core/types.js';
import { ExchangeMetrics, type ExchangeLabels } from './exchange-metrics.js';
import { LATENCY_BUCKETS_S, TOKEN_COUNT_BUCKETS, TOKEN_GAP_BUCKETS_S } from './exchange-series.js';
import { HistogramSeries } from './histogram-series.js';

const MS = 1_000_000;

function streamed(index: number, chunkGapsMs: number[], tokensPerChunk: number, finishReason?: string): Exchange {
  const sentAt = 1_000 * MS + index * 7 * MS;
  let at = sentAt + (3 + index) * MS;
  const chunks = [{ receivedAt: at, tokens: tokensPerChunk, hasContent: true }];
  for (const gap of chunkGapsMs) {
    at += gap * MS;
    chunks.push({ receivedAt: at, tokens: tokensPerChunk, hasContent: true });
  }
  return {
    index,
    intendedAt: null,
    sentAt,
    firstTokenAt: chunks[0]?.receivedAt ?? null,
    firstContentAt: chunks[0]?.receivedAt ?? null,
    endedAt: at + MS,
    chunks,
    streamed: true,
    tokensIn: 16 + index,
    tokensOut: chunks.length * tokensPerChunk,
    tokenSource: 'server',
    clientTokensOut: null,
    output: 'x',
    status: 'ok',
    error: null,
    ...(finishReason === undefined ? {} : { finishReason }),
  };
}

function failed(index: number): Exchange {
  return {
    ...streamed(index, [], 1),
    chunks: [],
    firstTokenAt: null,
    firstContentAt: null,
    tokensOut: null,
    status: 'error',
    error: { category: 'http_5xx', message: 'HTTP 503', httpStatus: 503 },
  };
}

/** The same exchanges recorded with prom-client's own metric classes, as the reference exposition. */
async function referenceText(runs: [ExchangeLabels, Exchange][]): Promise<Map<string, string>> {
  const registry = new Registry();
  const registers = [registry];
  const labelNames = ['model', 'endpoint'] as const;
  const requests = new Counter({ name: 'r', help: 'h', labelNames: [...labelNames, 'outcome'], registers });
  const inFlight = new Gauge({ name: 'f', help: 'h', labelNames, registers });
  const histogram = (name: string, buckets: number[]): Histogram<'model' | 'endpoint'> =>
    new Histogram({ name, help: 'h', labelNames, buckets, registers });
  const e2e = histogram('e2e', LATENCY_BUCKETS_S);
  const ttft = histogram('ttft', LATENCY_BUCKETS_S);
  const itl = histogram('itl', TOKEN_GAP_BUCKETS_S);
  const tpot = histogram('tpot', TOKEN_GAP_BUCKETS_S);
  const generation = histogram('gen', TOKEN_COUNT_BUCKETS);
  const reasons = new Counter({ name: 'fr', help: 'h', labelNames: [...labelNames, 'reason'], registers });
  for (const [labels, exchange] of runs) {
    const by = { model: labels.model ?? 'unknown', endpoint: labels.endpoint };
    inFlight.inc(by);
    inFlight.dec(by);
    requests.inc({ ...by, outcome: exchange.status === 'ok' ? 'ok' : (exchange.error?.category ?? 'error') });
    if (exchange.status !== 'ok') continue;
    const first = exchange.firstTokenAt ?? 0;
    const last = exchange.chunks[exchange.chunks.length - 1]?.receivedAt ?? 0;
    e2e.observe(by, (last - exchange.sentAt) / NS_PER_S);
    ttft.observe(by, (first - exchange.sentAt) / NS_PER_S);
    tpot.observe(by, (last - first) / ((exchange.tokensOut ?? 0) - 1) / NS_PER_S);
    for (let i = 1; i < exchange.chunks.length; i += 1) {
      const [previous, current] = [exchange.chunks[i - 1], exchange.chunks[i]];
      if (previous === undefined || current === undefined) continue;
      const perToken = (current.receivedAt - previous.receivedAt) / current.tokens / NS_PER_S;
      for (let t = 0; t < current.tokens; t += 1) itl.observe(by, perToken);
    }
    generation.observe(by, exchange.tokensOut ?? 0);
    reasons.inc({ ...by, reason: exchange.finishReason ?? 'none' });
  }
  const names: [string, string][] = [
    ['r', 'yardstick_requests_total'],
    ['f', 'yardstick_requests_in_flight'],
    ['e2e', 'yardstick_request_duration_seconds'],
    ['ttft', 'yardstick_time_to_first_token_seconds'],
    ['itl', 'yardstick_inter_token_latency_seconds'],
    ['tpot', 'yardstick_time_per_output_token_seconds'],
    ['gen', 'yardstick_request_generation_tokens'],
    ['fr', 'yardstick_finish_reasons_total'],
  ];
  const samples = new Map<string, string>();
  for (const [short, name] of names) {
    const text = await registry.getSingleMetricAsString(short);
    samples.set(name, sorted(sampleLinesOf(text).map((line) => line.replace(new RegExp(`^${short}`), name))));
  }
  return samples;
}

/** The sample lines of a family, without its HELP and TYPE lines. */
function sampleLinesOf(text: string): string[] {
  return text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
}

/** The sample lines of one family in a whole exposition. */
function familySamples(text: string, name: string): string {
  const lines = text.split('\n');
  const rest = lines.slice(lines.findIndex((line) => line.startsWith(`# TYPE ${name} `)) + 1);
  const end = rest.findIndex((line) => line === '' || line.startsWith('#'));
  return sorted(rest.slice(0, end === -1 ? rest.length : end));
}

/** Lines in a set order: the order of series within a family carries no meaning. */
function sorted(lines: string[]): string {
  return [...lines].sort().join('\n');
}

describe('ExchangeMetrics', () => {
  it('writes the same samples as prom-client does for the same exchanges', async () => {
    const chat: ExchangeLabels = { model: 'tiny "q4"\\ model', endpoint: '/v1/chat/completions' };
    const legacy: ExchangeLabels = { model: null, endpoint: '/v1/completions' };
    const runs: [ExchangeLabels, Exchange][] = [
      [chat, streamed(0, [1, 1.5, 0.7, 2], 1, 'stop')],
      [chat, streamed(1, [12, 0.3], 2, 'length')],
      [legacy, streamed(2, [3, 3, 3, 40], 1)],
      [chat, failed(3)],
      [legacy, streamed(4, [250, 0.2], 3, 'stop')],
    ];
    const metrics = new ExchangeMetrics([]);
    for (const [labels, exchange] of runs) {
      metrics.started(labels);
      metrics.ended(labels, exchange);
    }
    const text = await metrics.text();
    const reference = await referenceText(runs);
    for (const [name, samples] of reference) expect(familySamples(text, name), name).toBe(samples);
    expect(text).toContain('model="tiny \\"q4\\"\\\\ model"');
  });

  it('opens every family with HELP and TYPE, writes no series before one is touched, and keeps prom-client metrics', async () => {
    const metrics = new ExchangeMetrics([]);
    metrics.ownError('measure');
    const text = await metrics.text();
    expect(text).toContain('# TYPE yardstick_time_to_first_token_seconds histogram');
    expect(text).toContain('# TYPE yardstick_requests_in_flight gauge');
    expect(text).not.toMatch(/^yardstick_requests_total/m);
    expect(text).toContain('yardstick_internal_errors_total{stage="measure"} 1');
    expect(text).toMatch(/^process_cpu_seconds_total /m);
    expect(text.endsWith('\n')).toBe(true);
  });

  it('counts failed and unmeasured requests by outcome and keeps in-flight in step', async () => {
    const labels: ExchangeLabels = { model: 'm', endpoint: '/v1/chat/completions' };
    const metrics = new ExchangeMetrics([]);
    metrics.started(labels);
    metrics.started(labels);
    metrics.started(labels);
    metrics.ended(labels, failed(0));
    metrics.unmeasured(labels);
    const text = await metrics.text();
    expect(text).toContain('yardstick_requests_in_flight{model="m",endpoint="/v1/chat/completions"} 1');
    expect(text).toContain('yardstick_requests_total{model="m",endpoint="/v1/chat/completions",outcome="http_5xx"} 1');
    expect(text).toContain(
      'yardstick_requests_total{model="m",endpoint="/v1/chat/completions",outcome="unmeasured"} 1',
    );
    expect(text).not.toContain('yardstick_time_to_first_token_seconds_count');
  });
});

describe('HistogramSeries', () => {
  it('puts a value equal to a bound in that bound’s bucket and one past every bound in +Inf', () => {
    const series = new HistogramSeries([1, 2]);
    series.observe(1);
    series.observe(2.5, 2);
    series.observe(0, 0);
    expect(series.lines('h', 'a="b"')).toEqual([
      'h_bucket{le="1",a="b"} 1',
      'h_bucket{le="2",a="b"} 1',
      'h_bucket{le="+Inf",a="b"} 3',
      'h_sum{a="b"} 6',
      'h_count{a="b"} 3',
    ]);
  });
});
