import { monotonicNs } from '../core/clock.js';
import type { ExchangeError } from '../core/types.js';
import type { RequestControl, ResponseHandler } from '../http/dispatcher.js';
import type { ResponseHeaders } from '../http/response-head.js';
import type { ClientResponse } from '../http-server/client-response.js';
import { transportError } from '../http/transport-error.js';
import { clientResponseHeaders } from './forwarded-headers.js';
import type { TrafficTap } from './traffic-tap.js';

/** What one forwarded request is to the forwarding side. */
export interface ForwardedRequest {
  /** The request's number in the tap's records. */
  id: number;
  /** Whether the response's head and body are copied to the tap (only POSTs can be inference calls). */
  copyBody: boolean;
  /**
   * Whether the upstream's bytes go to the client as they are (an HTTP/1.1 client). An HTTP/1.0 client cannot read
   * chunks, so its response is written again from the parsed head and body.
   */
  passRaw: boolean;
}

/**
 * Forwards one upstream response to the client as it arrives — each read passed on the moment it is read, head and
 * framing as the upstream sent them — and copies what the measuring side needs to the tap, with the time each piece
 * arrived. The client's leaving cancels the upstream request; the upstream failing before its head answers 502 (504
 * when it timed out), after it cuts the client's connection (as the upstream's own did).
 */
export class ForwardingHandler implements ResponseHandler {
  private control: RequestControl | null = null;
  private ended = false;
  private timer: NodeJS.Timeout | null = null;
  private failure: ExchangeError | null = null;
  /** Whether the response's own framing lets the client's connection carry another request. */
  private reusable = false;
  /**
   * Copies for the tap from the read being parsed, held until that read has been passed to the client: the client
   * gets its bytes first. Body pieces are views of the read, which stays valid until the read is handled; every piece
   * of one read arrived at the same time, `heldAtNs`.
   */
  private heldAtNs = 0;
  private heldHead: { status: number; contentType: string; contentEncoding: string } | null = null;
  private readonly heldData: Buffer[] = [];

  constructor(
    private readonly response: ClientResponse,
    private readonly request: ForwardedRequest,
    private readonly tap: TrafficTap,
    private readonly timeoutMs: number,
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
    if (this.request.copyBody) {
      this.holdAt();
      this.heldHead = {
        status: statusCode,
        contentType: headers.get('content-type') ?? '',
        contentEncoding: headers.get('content-encoding') ?? '',
      };
      if (!this.request.passRaw) this.releaseHeld();
    }
    if (this.request.passRaw) return;
    this.response.writeHead(statusCode, clientResponseHeaders(headers));
    // A head that came with the body's first piece leaves with it in one write; one that came alone (a server that
    // answers before its first token) is sent at once.
    process.nextTick(() => this.response.flushHead());
  }

  onData(chunk: Buffer): void {
    if (this.request.copyBody) {
      this.holdAt();
      this.heldData.push(chunk);
      if (!this.request.passRaw) this.releaseHeld();
    }
    if (!this.request.passRaw) this.response.write(chunk);
  }

  onRawData(bytes: Buffer, reusableAfter: boolean | null): void {
    if (!this.request.passRaw) return;
    this.response.pass(bytes);
    if (reusableAfter !== null) this.reusable = reusableAfter;
    this.releaseHeld();
  }

  /** The time the read being parsed arrived, taken at its first piece. */
  private holdAt(): void {
    if (this.heldAtNs === 0) this.heldAtNs = monotonicNs();
  }

  /** Writes the held copies to the tap. */
  private releaseHeld(): void {
    const atNs = this.heldAtNs;
    this.heldAtNs = 0;
    const head = this.heldHead;
    if (head !== null) {
      this.heldHead = null;
      this.tap.head(this.request.id, atNs, head.status, head.contentType, head.contentEncoding);
    }
    if (this.heldData.length === 0) return;
    for (const chunk of this.heldData) this.tap.data(this.request.id, atNs, chunk);
    this.heldData.length = 0;
  }

  onComplete(): void {
    const endedAt = monotonicNs();
    this.finish();
    // Told before the client can see the end, so that metrics asked for after it count this request.
    this.releaseHeld();
    this.tap.end(this.request.id, endedAt);
    if (this.request.passRaw) this.response.endPassed(this.reusable);
    else this.response.end();
  }

  onError(error: Error): void {
    const endedAt = monotonicNs();
    this.finish();
    const failure = this.failure ?? transportError(error);
    this.releaseHeld();
    this.tap.fail(this.request.id, endedAt, failure);
    if (!this.response.headersSent) {
      this.response.writeHead(failure.category === 'timeout' ? 504 : 502, [['content-type', 'application/json']]);
      this.response.end(
        JSON.stringify({
          error: { message: `yardstick proxy: the upstream failed: ${failure.message}`, type: 'upstream_error' },
        }),
      );
    } else this.response.destroy();
  }

  onResend(): void {
    this.tap.resent(this.request.id);
  }

  private finish(): void {
    this.ended = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
