import { describe, expect, it } from 'vitest';
import type { Exchange } from '../core/types.js';
import type { ResponseHeaders } from '../http/response-head.js';
import { startHttpServer } from '../http-server/http-server.js';
import { loadClientTokenizer } from '../tokens/client-tokenizer.js';
import { ExchangeMeter } from './exchange-meter.js';
import { ForwardingHandler } from './forwarding-handler.js';

class BrokenMeter extends ExchangeMeter {
  override onChunk(): void {
    throw new Error('a bug in measuring');
  }
}

function headers(list: [string, string][]): ResponseHeaders {
  const joined = new Map(list);
  return {
    get: (name) => joined.get(name),
    has: (name) => joined.has(name),
    entries: () => joined.entries(),
    fields: () => list.values(),
  };
}

describe('ForwardingHandler', () => {
  it('forwards the whole response when measuring it fails, and reports the failure once', async () => {
    const tokenizer = await loadClientTokenizer();
    const errors: unknown[] = [];
    const ended: (Exchange | null)[] = [];
    const server = await startHttpServer({
      host: '127.0.0.1',
      port: 0,
      onRequest: (_request, res) => {
        const handler = new ForwardingHandler(
          res,
          new BrokenMeter(0, 0, tokenizer),
          10_000,
          (exchange) => ended.push(exchange),
          (error) => errors.push(error),
        );
        handler.onConnect({ abort: () => undefined });
        handler.onHeaders(200, headers([['content-type', 'text/event-stream']]));
        handler.onData(Buffer.from('data: {"choices":[{"delta":{"content":"a"}}]}\n\n'));
        handler.onData(Buffer.from('data: [DONE]\n\n'));
        handler.onComplete();
      },
    });
    try {
      const response = await fetch(`http://127.0.0.1:${server.address.port}/`);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('data: {"choices":[{"delta":{"content":"a"}}]}\n\ndata: [DONE]\n\n');
      expect(errors).toHaveLength(1);
      expect(ended).toEqual([null]);
    } finally {
      await server.close();
    }
  });
});
