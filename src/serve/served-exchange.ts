import type { ServerResponse } from 'node:http';
import { monotonicNs } from '../core/clock.js';
import type { Exchange } from '../core/types.js';
import { categoryOfStatus } from '../targets/http-transport.js';
import type { ExchangeLabels, ExchangeMetrics } from '../prometheus/exchange-metrics.js';
import { newExchange } from '../targets/exchange-builder.js';
import { sendError } from './http-io.js';
import type { GenerationResult } from './model-backend.js';

/**
 * One request as the model server sees it, measured on its side of the connection: from the body read to each piece
 * written (one token each) and the end, with the exact token counts of the generation. Counted in the server's own
 * metrics (`GET /metrics`), in the same names and units as `yardstick proxy`'s.
 */
export class ServedExchange {
  private readonly exchange: Exchange;
  private readonly labels: ExchangeLabels;
  private counted = false;

  constructor(
    private readonly metrics: ExchangeMetrics,
    endpoint: 'chat' | 'completions',
  ) {
    const at = monotonicNs();
    this.labels = { model: null, endpoint };
    this.exchange = { ...newExchange(0, null, at, false), tokenSource: 'server' };
  }

  /** The request named its model and whether it streams: it is in flight from now. */
  named(model: string, stream: boolean): void {
    this.labels.model = model;
    this.exchange.streamed = stream;
    this.metrics.started(this.labels);
    this.counted = true;
  }

  /** A generated piece was written. */
  piece(text: string): void {
    const at = monotonicNs();
    this.exchange.firstTokenAt ??= at;
    this.exchange.firstContentAt ??= at;
    this.exchange.chunks.push({ receivedAt: at, tokens: 1, hasContent: true });
    this.exchange.output += text;
  }

  /** The answer was written whole; `cancelled` when the client left before it ended. */
  completed(results: readonly GenerationResult[], cancelled: boolean): void {
    const e = this.exchange;
    e.endedAt = monotonicNs();
    e.tokensIn = results.reduce((sum, r) => sum + r.promptTokens, 0);
    e.tokensOut = results.reduce((sum, r) => sum + r.completionTokens, 0);
    const finishReason = results[0]?.finishReason;
    if (finishReason !== undefined) e.finishReason = finishReason;
    if (cancelled) {
      e.status = 'cancelled';
      e.error = { category: 'cancelled', message: 'the client closed the connection', httpStatus: null };
    }
    this.end();
  }

  /** The generation failed after the stream began. */
  failedMidStream(message: string, cancelled: boolean): void {
    this.exchange.endedAt = monotonicNs();
    this.exchange.status = cancelled ? 'cancelled' : 'error';
    this.exchange.error = { category: cancelled ? 'cancelled' : 'stream_error', message, httpStatus: null };
    this.end();
  }

  /** Answers with an error status, counted by its category. */
  refused(res: ServerResponse, status: number, message: string, type: string): void {
    sendError(res, status, message, type);
    this.exchange.endedAt = monotonicNs();
    this.exchange.status = 'error';
    this.exchange.error = { category: categoryOfStatus(status), message, httpStatus: status };
    if (!this.counted) this.metrics.started(this.labels);
    this.counted = true;
    this.end();
  }

  private end(): void {
    if (this.counted) this.metrics.ended(this.labels, this.exchange);
  }
}
