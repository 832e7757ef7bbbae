import { messageOf } from '../core/errors.js';
import { isJsonObject } from '../core/json-object.js';
import { ERROR_CATEGORIES, type Exchange, type ExchangeError } from '../core/types.js';
import type { ExchangeLabels, ExchangeMetrics } from '../prometheus/exchange-metrics.js';
import type { ClientTokenizer } from '../tokens/client-tokenizer.js';
import { ExchangeMeter } from './exchange-meter.js';
import { inferenceCallOf, type MeasuredEndpoint } from './inference-call.js';
import { RequestTable } from './request-table.js';
import type { RingRecord } from './traffic-ring.js';
import { TrafficKind } from './traffic-tap.js';

/** What the measuring side tells its owner. */
export interface TrafficListener {
  /**
   * Each measured exchange as it ends, with the request's labels and body (empty unless `keepRequestBodies`), and
   * whether it met every SLO.
   */
  onExchange?: (exchange: Exchange, labels: ExchangeLabels, requestBody: Buffer, good: boolean) => void;
  /** Whether `onExchange` wants the request bodies (sampling does): each is copied and held while its request runs. */
  keepRequestBodies?: boolean;
  /** Each request passed through without measuring. */
  onPassThrough?: () => void;
  /** A failure on yardstick's own side (`stage`: where); the traffic passed through regardless. */
  onOwnError: (stage: string, message: string) => void;
}

/** A request being measured: its labels, its body (for the sample; empty when not kept) and its meter. */
interface MeasuredRequest {
  labels: ExchangeLabels;
  body: Buffer;
  meter: ExchangeMeter;
}

const NO_BODY = Buffer.alloc(0);

/** An unmeasured request only needs to be counted when it ends. */
const PASSED_THROUGH = 'passed-through';

const LOST_MESSAGE = 'the measuring thread fell behind the traffic; a request passed through unmeasured';

/** The error a `fail` record carries; a connection error when it cannot be read. */
function errorOf(payload: Buffer): ExchangeError {
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(payload.toString('utf8'));
  } catch {
    // Read below as an unknown failure.
  }
  const category = isJsonObject(parsed) ? ERROR_CATEGORIES.find((c) => c === parsed.category) : undefined;
  const message = isJsonObject(parsed) && typeof parsed.message === 'string' ? parsed.message : 'the request failed';
  return { category: category ?? 'connection', message, httpStatus: null };
}

/**
 * The measuring side of the proxy: reads the forwarding side's records of each request (traffic-tap.ts) and measures
 * the inference calls among them as `bench` measures a request, into the metrics and on to the listener. Runs on a
 * thread of its own choosing; the times it uses are the ones the forwarding side took when the bytes arrived.
 */
export class TrafficMeasure {
  private readonly requests = new RequestTable<MeasuredRequest | typeof PASSED_THROUGH>();
  private index = 0;

  constructor(
    private readonly metrics: ExchangeMetrics,
    private readonly tokenizer: ClientTokenizer,
    private readonly measured: readonly MeasuredEndpoint[],
    private readonly listener: TrafficListener,
  ) {}

  /** Requests started and not yet ended. */
  get inFlight(): number {
    return this.requests.size;
  }

  /** Takes one record; a failure to measure drops that request's measuring, never the others'. */
  take(record: RingRecord): void {
    try {
      this.apply(record);
    } catch (error) {
      // A request still in flight stops being measured here; its later records find nothing and are passed over.
      const request = this.requests.get(record.id);
      this.requests.delete(record.id);
      if (request !== undefined && request !== PASSED_THROUGH) this.metrics.unmeasured(request.labels);
      this.listener.onOwnError('measure', messageOf(error));
    }
  }

  private apply(record: RingRecord): void {
    const { id, timeNs, payload } = record;
    switch (record.kind) {
      case TrafficKind.request:
        return this.started(id, timeNs, payload);
      case TrafficKind.lost: {
        const request = this.requests.get(id);
        this.requests.delete(id);
        if (request !== undefined && request !== PASSED_THROUGH) this.metrics.unmeasured(request.labels);
        if (request === PASSED_THROUGH) this.listener.onPassThrough?.();
        this.listener.onOwnError('measure', LOST_MESSAGE);
        return;
      }
    }
    const request = this.requests.get(id);
    if (request === undefined) return;
    if (request === PASSED_THROUGH) {
      if (record.kind === TrafficKind.end || record.kind === TrafficKind.fail) {
        this.requests.delete(id);
        this.listener.onPassThrough?.();
      }
      return;
    }
    const meter = request.meter;
    switch (record.kind) {
      case TrafficKind.head: {
        const [status = '0', contentType = '', contentEncoding = ''] = payload.toString('utf8').split('\n');
        meter.onHeaders(Number(status), contentType, contentEncoding, timeNs);
        return;
      }
      case TrafficKind.data:
        return meter.onChunk(payload, timeNs);
      case TrafficKind.resent:
        meter.exchange.resent = true;
        return;
      case TrafficKind.end:
        this.requests.delete(id);
        return this.ended(request, meter.complete(timeNs));
      case TrafficKind.fail:
        this.requests.delete(id);
        return this.ended(request, meter.fail(errorOf(payload), timeNs));
    }
  }

  private started(id: number, sentAt: number, payload: Buffer): void {
    const lineEnd = payload.indexOf(10);
    const line = payload.toString('latin1', 0, lineEnd === -1 ? payload.length : lineEnd);
    const space = line.indexOf(' ');
    const bodyView = payload.subarray(lineEnd === -1 ? payload.length : lineEnd + 1);
    const call = inferenceCallOf(line.slice(0, space), line.slice(space + 1), bodyView, this.measured);
    if (call === null) {
      this.requests.set(id, PASSED_THROUGH);
      return;
    }
    const labels: ExchangeLabels = { model: call.model, endpoint: call.label };
    const meter = new ExchangeMeter(
      this.index++,
      sentAt,
      this.tokenizer,
      call.endpoint.kind === 'json' ? call.endpoint.endpoint : null,
    );
    this.metrics.started(labels);
    // The record's payload is the ring's memory: the body is kept (for the sample) as a copy.
    const body = this.listener.keepRequestBodies === true ? Buffer.from(bodyView) : NO_BODY;
    this.requests.set(id, { labels, body, meter });
  }

  private ended(request: MeasuredRequest, exchange: Exchange | null): void {
    if (exchange === null) return this.metrics.unmeasured(request.labels);
    const good = this.metrics.ended(request.labels, exchange);
    this.listener.onExchange?.(exchange, request.labels, request.body, good);
  }
}
