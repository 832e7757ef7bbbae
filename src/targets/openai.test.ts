import { afterEach, describe, expect, it } from 'vitest';
import { targetSchema } from './target-schema.js';
import type { TargetRequest } from '../core/types.js';
import { startSimulator, type RunningSimulator } from '../simulator/server.js';
import { NO_FAULTS, type SimulatorOptions } from '../simulator/options.js';
import { networkTimingsNs } from '../efficiency/request-metrics.js';
import { createTarget } from './registry.js';
import type { Target } from './target.js';

const open: { sim: RunningSimulator; target: Target }[] = [];

async function setUp(
  kind: string,
  sim: Partial<SimulatorOptions>,
  target: Record<string, unknown> = {},
): Promise<{ sim: RunningSimulator; target: Target }> {
  const simulator = await startSimulator(sim);
  const config = targetSchema.parse({ kind, baseUrl: `${simulator.url}/v1`, model: 'sim', timeout: '2s', ...target });
  const built = await createTarget(config, { maxConnections: 8 });
  const pair = { sim: simulator, target: built };
  open.push(pair);
  return pair;
}

afterEach(async () => {
  for (const { sim, target } of open.splice(0)) {
    await target.close();
    await sim.close();
  }
});

function request(maxTokens: number): TargetRequest {
  return {
    index: 0,
    promptId: maxTokens,
    prompt: 'say something',
    messages: null,
    maxTokens,
    clientTokensIn: 3,
    extraBody: null,
  };
}

const run = { signal: new AbortController().signal, intendedAt: null };

// Every behaviour holds for both HTTP clients a target can use.
describe.each(['yardstick', 'undici'] as const)('through the %s client', (client) => {
  describe.each(['openai-chat', 'openai-completions'])('%s target', (kind) => {
    it('times the network phases: the head arrives with the first token, the rest over the stream; connections new, then reused', async () => {
      const { target } = await setUp(kind, { ttftMs: 40, itlMs: 8 }, { client });
      const first = await target.send(request(6), run);
      const second = await target.send(request(6), run);
      for (const exchange of [first, second]) {
        expect(exchange.status).toBe('ok');
        const phases = networkTimingsNs(exchange);
        // The simulator writes its head with the first token (at 40 ms) and the last token at 40 + 5 × 8 ms.
        expect(phases.ttfb).toBeGreaterThanOrEqual(40e6);
        expect(phases.ttfb).toBeLessThanOrEqual((exchange.firstTokenAt ?? 0) - exchange.sentAt);
        expect(phases.receive).toBeGreaterThanOrEqual(exchange.endedAt - (exchange.firstTokenAt ?? 0));
        expect((phases.ttfb ?? 0) + (phases.receive ?? 0)).toBe(exchange.endedAt - exchange.sentAt);
        expect(exchange.endedAt - exchange.sentAt).toBeGreaterThanOrEqual(80e6);
      }
      if (client === 'yardstick') {
        expect(first.network).toMatchObject({ reused: false, dnsNs: null, tlsNs: null });
        expect(first.network?.connectNs).toBeGreaterThan(0);
        expect(second.network).toMatchObject({ reused: true, dnsNs: null, connectNs: null, tlsNs: null });
      } else {
        // undici does not say which connection a request took.
        expect(first.network).toMatchObject({ reused: null, connectNs: null });
      }
    });

    it('streams tokens on the simulator schedule with server usage', async () => {
      const { target } = await setUp(kind, { ttftMs: 40, itlMs: 8 }, { client });
      await target.send(request(1), run); // opens the connection, so the measured request pays no connect time
      const exchange = await target.send(request(6), run);
      expect(exchange.status).toBe('ok');
      expect(exchange.output).toBe(' the of and to in is');
      expect(exchange.clientTokensOut).toBe(6);
      expect(exchange.tokensOut).toBe(6);
      expect(exchange.tokenSource).toBe('server');
      expect(exchange.chunks.map((c) => c.tokens)).toEqual([1, 1, 1, 1, 1, 1]);
      const ttftMs = ((exchange.firstTokenAt ?? 0) - exchange.sentAt) / 1e6;
      expect(ttftMs).toBeGreaterThanOrEqual(39);
      expect(ttftMs).toBeLessThan(90);
      // The simulator keeps absolute deadlines, so one late chunk shortens the next gap; the span is what is fixed.
      const spanMs = ((exchange.chunks[5]?.receivedAt ?? 0) - (exchange.chunks[0]?.receivedAt ?? 0)) / 1e6;
      expect(spanMs).toBeGreaterThan(30); // 5 gaps of 8 ms, less however late the first chunk was
      expect(spanMs).toBeLessThan(70);
    });

    it('reads whole responses without streaming', async () => {
      const { target } = await setUp(kind, { ttftMs: 5, itlMs: 1 }, { stream: false, client });
      const exchange = await target.send(request(4), run);
      expect(exchange).toMatchObject({
        status: 'ok',
        output: ' the of and to',
        tokensOut: 4,
        firstTokenAt: null,
        chunks: [],
      });
    });
  });

  describe('openai-chat token accounting', () => {
    it('uses streamed usage deltas for multi-token chunks', async () => {
      const { target } = await setUp(
        'openai-chat',
        { ttftMs: 5, itlMs: 2, tokensPerChunk: 3, usage: 'continuous' },
        { continuousUsage: true, client },
      );
      const exchange = await target.send(request(8), run);
      expect(exchange.chunks.map((c) => c.tokens)).toEqual([3, 3, 2]);
      expect(exchange.tokensOut).toBe(8);
    });

    it('falls back to the client tokenizer without usage and says so', async () => {
      const { target } = await setUp('openai-chat', { ttftMs: 5, itlMs: 1, usage: 'none' }, { client });
      const exchange = await target.send(request(5), run);
      expect(exchange.tokenSource).toBe('client');
      expect(exchange.tokensOut).toBe(5);
      expect(exchange.chunks.map((c) => c.tokens)).toEqual([1, 1, 1, 1, 1]);
    });
  });

  describe('faults become categorized exchanges', () => {
    it.each([
      ['http500', 'http_5xx', 'error'],
      ['http429', 'http_429', 'error'],
      ['reset', 'connection', 'error'],
      ['malformed', 'malformed_response', 'error'],
      ['streamError', 'stream_error', 'error'],
      ['stall', 'timeout', 'timeout'],
    ] as const)('%s → %s', async (fault, category, status) => {
      const { target } = await setUp(
        'openai-chat',
        { ttftMs: 2, itlMs: 2, faults: { ...NO_FAULTS, [fault]: 1 } },
        { timeout: '300ms', client },
      );
      const exchange = await target.send(request(6), run);
      expect(exchange.status).toBe(status);
      expect(exchange.error?.category).toBe(category);
    });

    it('marks requests cut by the run stopping as cancelled', async () => {
      const { target } = await setUp('openai-chat', { ttftMs: 500 }, { client });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 30);
      const exchange = await target.send(request(3), { signal: controller.signal, intendedAt: null });
      expect(exchange.status).toBe('cancelled');
    });

    it('reports an unreachable server with exit code 4', async () => {
      const config = targetSchema.parse({ kind: 'openai-chat', baseUrl: 'http://127.0.0.1:9/v1', model: 'm', client });
      const target = await createTarget(config, { maxConnections: 1 });
      await expect(target.checkReachable()).rejects.toMatchObject({ exitCode: 4, code: 'TARGET_UNREACHABLE' });
      const exchange = await target.send(request(1), run);
      expect(exchange.error?.category).toBe('connection');
      await target.close();
    });
  });
});
