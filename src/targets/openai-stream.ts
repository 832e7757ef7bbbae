import { createParser, type EventSourceParser } from 'eventsource-parser';
import type { Exchange, ExchangeError } from '../core/types.js';
import { Utf8Pieces } from '../core/utf8-pieces.js';
import type { RawChunk } from './chunk-tokens.js';
import type { ResponseSink } from './http-call.js';
import { isExchangeError, readOpenAiPayload } from './openai-events.js';

/** Reads an OpenAI-style server-sent event stream chunk by chunk, timing each token-bearing event: a call's sink. */
export class OpenAiStreamReader implements ResponseSink {
  readonly raw: RawChunk[] = [];
  output = '';
  reasoning = '';
  toolCalls = '';
  finishReason: string | null = null;
  promptTokens: number | null = null;
  completionTokens: number | null = null;
  private done = false;
  private finished = false;
  private failure: ExchangeError | null = null;
  private receivedAt = 0;
  private readonly text = new Utf8Pieces();
  private readonly parser: EventSourceParser;

  constructor(private readonly exchange: Exchange) {
    this.parser = createParser({ onEvent: (event) => this.onEvent(event.data) });
  }

  /** A successful response that is not an event stream is refused at its first chunk. */
  onStart(statusCode: number, contentType: string): void {
    if (!contentType.includes('text/event-stream'))
      this.failure = {
        category: 'malformed_response',
        message: `expected an event stream, got content-type '${contentType}'`,
        httpStatus: statusCode,
      };
  }

  /** Feeds one network chunk received at `receivedAt`; returns an error once the stream is unusable. */
  onChunk(chunk: Buffer, receivedAt: number): ExchangeError | null {
    if (this.failure !== null) return this.failure;
    this.receivedAt = receivedAt;
    this.parser.feed(this.text.decode(chunk));
    return this.failure;
  }

  /** After the body ended: an error if the stream stopped before it was complete. */
  finish(): ExchangeError | null {
    if (this.failure !== null) return this.failure;
    if (!this.done && !this.finished)
      return {
        category: 'malformed_response',
        message: 'the stream ended without [DONE] or a finish_reason',
        httpStatus: null,
      };
    return null;
  }

  private onEvent(data: string): void {
    if (this.failure !== null || this.done) return;
    if (data === '[DONE]') {
      this.done = true;
      return;
    }
    const delta = readOpenAiPayload(data);
    if (isExchangeError(delta)) {
      this.failure = delta;
      return;
    }
    this.promptTokens = delta.promptTokens ?? this.promptTokens;
    this.completionTokens = delta.completionTokens ?? this.completionTokens;
    if (delta.finishReason !== null) {
      this.finished = true;
      this.finishReason = delta.finishReason;
    }
    // Reasoning and tool-call fragments are generated tokens (they count for ttft and itl); ttfo waits for content.
    const generated = delta.content + delta.reasoning + delta.toolCalls;
    if (generated === '') return;
    this.output += delta.content;
    this.reasoning += delta.reasoning;
    this.toolCalls += delta.toolCalls;
    this.exchange.firstTokenAt ??= this.receivedAt;
    if (delta.content !== '') this.exchange.firstContentAt ??= this.receivedAt;
    this.raw.push({
      receivedAt: this.receivedAt,
      text: generated,
      hasContent: delta.content !== '',
      cumulativeTokens: delta.completionTokens,
    });
  }
}
