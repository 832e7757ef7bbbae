import { unknownNetworkTiming, type Exchange, type ExchangeError } from '../core/types.js';
import { failExchange, newExchange } from '../targets/exchange-builder.js';
import { reasonOfErrorBody } from '../targets/http-call.js';
import { categoryOfStatus } from '../targets/http-transport.js';
import { finishStreamedResponse, finishWholeResponse } from '../targets/openai-response.js';
import { OpenAiStreamReader } from '../targets/openai-stream.js';
import { TextCollector } from '../targets/text-collector.js';
import type { ClientTokenizer } from '../tokens/client-tokenizer.js';
import { valueAtPath } from '../targets/json-template.js';
import type { MeasuredEndpoint } from './inference-call.js';

/** The start of an error response's body kept for its message. */
const ERROR_BODY_CHARS = 2048;

/**
 * Measures one proxied inference call as `bench` measures a request: the same stream reader stamps each token-bearing
 * event with its arrival on the monotonic clock, and the same settlement counts tokens (the server's usage, else the
 * client tokenizer). It only reads copies of what is forwarded; what it finds never changes the response.
 */
export class ExchangeMeter {
  readonly exchange: Exchange;
  private stream: OpenAiStreamReader | null = null;
  private whole: TextCollector | null = null;
  private errorStatus = 0;
  private status = 0;
  private errorBody = '';
  private failure: ExchangeError | null = null;
  /** False once the response turns out to be compressed: forwarded as it is, but not read. */
  measurable = true;

  constructor(
    index: number,
    sentAt: number,
    private readonly tokenizer: ClientTokenizer,
    /** A JSON API's endpoint: its answer is read at the endpoint's output path, as the `http` target reads it. */
    private readonly json: MeasuredEndpoint | null = null,
  ) {
    this.exchange = { ...newExchange(index, null, sentAt, false), network: unknownNetworkTiming() };
  }

  /** The response's status, content type and content coding arrived at `at`. */
  onHeaders(statusCode: number, contentType: string, contentEncoding: string, at: number): void {
    if (this.exchange.network !== undefined) this.exchange.network.headersAt = at;
    this.status = statusCode;
    if (contentEncoding !== '' && contentEncoding.toLowerCase() !== 'identity') this.measurable = false;
    if (statusCode >= 400) {
      this.errorStatus = statusCode;
      return;
    }
    if (this.json === null && contentType.includes('text/event-stream')) {
      this.exchange.streamed = true;
      this.stream = new OpenAiStreamReader(this.exchange);
      this.stream.onStart(statusCode, contentType);
    } else this.whole = new TextCollector();
  }

  /** A piece of the body arrived at `at`: a view of a read buffer, valid only during the call (copy what is kept). */
  onChunk(chunk: Buffer, at: number): void {
    if (!this.measurable) return;
    if (this.errorStatus !== 0) {
      if (this.errorBody.length < ERROR_BODY_CHARS) this.errorBody += chunk.toString('utf8');
      return;
    }
    if (this.failure !== null) return;
    if (this.stream !== null) this.failure = this.stream.onChunk(chunk, at);
    else this.whole?.add(chunk);
  }

  /**
   * The response ended whole at `endedAt`: the exchange, failed when the status or the body says so; null when it
   * could not be read.
   */
  complete(endedAt: number): Exchange | null {
    if (!this.measurable) return null;
    if (this.errorStatus !== 0)
      return failExchange(
        this.exchange,
        {
          category: categoryOfStatus(this.errorStatus),
          message: `HTTP ${this.errorStatus}: ${reasonOfErrorBody(this.errorBody)}`,
          httpStatus: this.errorStatus,
        },
        endedAt,
      );
    if (this.failure !== null) return failExchange(this.exchange, this.failure, endedAt);
    this.exchange.endedAt = endedAt;
    if (this.json !== null) return this.completeJson(endedAt, this.json);
    const error =
      this.stream !== null
        ? finishStreamedResponse(this.exchange, this.stream, null, this.tokenizer)
        : finishWholeResponse(this.exchange, this.whole?.text ?? '', null, this.tokenizer);
    return error === null ? this.exchange : failExchange(this.exchange, error, endedAt);
  }

  /** A JSON API's answer: the value at its output path, tokens counted by the client tokenizer. */
  private completeJson(endedAt: number, endpoint: MeasuredEndpoint): Exchange {
    const text = this.whole?.text ?? '';
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return failExchange(
        this.exchange,
        { category: 'malformed_response', message: `not JSON: ${text.slice(0, 120)}`, httpStatus: this.status },
        endedAt,
      );
    }
    const output = valueAtPath(parsed, endpoint.outputSteps);
    if (output === undefined)
      return failExchange(
        this.exchange,
        {
          category: 'malformed_response',
          message: `no value at '${endpoint.outputPath}' in ${text.slice(0, 120)}`,
          httpStatus: this.status,
        },
        endedAt,
      );
    this.exchange.output = typeof output === 'string' ? output : JSON.stringify(output);
    this.exchange.clientTokensOut = this.tokenizer.count(this.exchange.output);
    this.exchange.tokensOut = this.exchange.clientTokensOut;
    this.exchange.tokenSource = 'client';
    return this.exchange;
  }

  /** The call failed before its response ended. */
  fail(error: ExchangeError, endedAt: number): Exchange {
    return failExchange(this.exchange, error, endedAt);
  }
}
