import { monotonicNs } from '../core/clock.js';
import type { Exchange, ExchangeError } from '../core/types.js';
import type { RequestControl, ResponseHandler } from '../http/dispatcher.js';
import type { ResponseHeaders } from '../http/response-head.js';
import type { ClientResponse } from '../http-server/client-response.js';
import { transportError } from '../targets/http-call.js';
import type { ExchangeMeter } from './exchange-meter.js';
import { clientResponseHeaders } from './forwarded-headers.js';

/**
 * Forwards one upstream response to the client as it arrives — status and headers at once, each body piece the
 * moment it is read — while a meter (for inference calls) reads copies of the same pieces. The client's leaving
 * cancels the upstream request; the upstream failing before its head answers 502, after it cuts the client's
 * connection (as the upstream's own did).
 */
export class ForwardingHandler implements ResponseHandler {
  private control: RequestControl | null = null;
  private ended = false;
  private timer: NodeJS.Timeout | null = null;
  private failure: ExchangeError | null = null;

  constructor(
    private readonly response: ClientResponse,
    private meter: ExchangeMeter | null,
    private readonly timeoutMs: number,
    private readonly done: (exchange: Exchange | null) => void,
    /** Measuring failed (a fault of yardstick's): the response is forwarded all the same, unmeasured. */
    private readonly onMeterError: (error: unknown) => void,
  ) {
    response.onClose(() => {
      if (this.ended) return;
      this.failure ??= { category: 'cancelled', message: 'the client closed the connection', httpStatus: null };
      this.control?.abort(new Error(this.failure.message));
    });
  }

  onConnect(control: RequestControl): void {
    this.control = control;
    this.timer = setTimeout(() => {
      this.failure ??= {
        category: 'timeout',
        message: `no complete response within ${this.timeoutMs} ms`,
        httpStatus: null,
      };
      control.abort(new Error(this.failure.message));
    }, this.timeoutMs);
  }

  onHeaders(statusCode: number, headers: ResponseHeaders): void {
    const at = monotonicNs();
    this.measure((meter) =>
      meter.onHeaders(statusCode, headers.get('content-type') ?? '', headers.get('content-encoding') ?? '', at),
    );
    this.response.writeHead(statusCode, clientResponseHeaders(headers));
    // A head that came with the body's first piece leaves with it in one write; one that came alone (a server that
    // answers before its first token) is sent at once.
    process.nextTick(() => this.response.flushHead());
  }

  onData(chunk: Buffer): void {
    const at = monotonicNs();
    this.response.write(chunk);
    this.measure((meter) => meter.onChunk(chunk, at));
  }

  onComplete(): void {
    const endedAt = monotonicNs();
    this.finish();
    this.response.end();
    this.done(this.measure((meter) => meter.complete(endedAt)) ?? null);
  }

  onError(error: Error): void {
    const endedAt = monotonicNs();
    this.finish();
    const failure = this.failure ?? transportError(error);
    if (!this.response.headersSent) {
      this.response.writeHead(failure.category === 'timeout' ? 504 : 502, [['content-type', 'application/json']]);
      this.response.end(
        JSON.stringify({
          error: { message: `yardstick proxy: the upstream failed: ${failure.message}`, type: 'upstream_error' },
        }),
      );
    } else this.response.destroy();
    this.done(this.measure((meter) => meter.fail(failure, endedAt)) ?? null);
  }

  onResend(): void {
    if (this.meter !== null) this.meter.exchange.resent = true;
  }

  /** Runs a step of measuring; one that throws ends the measuring of this response, never its forwarding. */
  private measure<T>(step: (meter: ExchangeMeter) => T): T | null {
    const meter = this.meter;
    if (meter === null) return null;
    try {
      return step(meter);
    } catch (error) {
      this.meter = null;
      this.onMeterError(error);
      return null;
    }
  }

  private finish(): void {
    this.ended = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
