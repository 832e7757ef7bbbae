import type { Exchange, ExchangeError } from '../core/types.js';
import type { ClientTokenizer } from '../tokens/client-tokenizer.js';
import { settleChunkTokens } from './chunk-tokens.js';
import { isExchangeError, readOpenAiPayload } from './openai-events.js';
import type { OpenAiStreamReader } from './openai-stream.js';

/**
 * Settles an exchange's token counts: the server's usage when it gave one (prompt tokens from the client's count
 * when only the completion's was given), else the client tokenizer's count of the generated text.
 */
export function settleTokens(
  exchange: Exchange,
  clientTokensIn: number | null,
  promptTokens: number | null,
  completionTokens: number | null,
  generated: string,
  tokenizer: ClientTokenizer,
): void {
  exchange.clientTokensOut = tokenizer.count(generated);
  if (completionTokens !== null) {
    exchange.tokensOut = completionTokens;
    exchange.tokensIn = promptTokens ?? clientTokensIn;
    exchange.tokenSource = 'server';
  } else {
    exchange.tokensOut = exchange.clientTokensOut;
    exchange.tokensIn = clientTokensIn;
    exchange.tokenSource = 'client';
  }
}

/** Completes an exchange from a whole (not streamed) OpenAI response body; an error when it is not one. */
export function finishWholeResponse(
  exchange: Exchange,
  text: string,
  clientTokensIn: number | null,
  tokenizer: ClientTokenizer,
): ExchangeError | null {
  const payload = readOpenAiPayload(text);
  if (isExchangeError(payload)) return payload;
  exchange.output = payload.content;
  if (payload.finishReason !== null) exchange.finishReason = payload.finishReason;
  const generated = payload.content + payload.reasoning + payload.toolCalls;
  settleTokens(exchange, clientTokensIn, payload.promptTokens, payload.completionTokens, generated, tokenizer);
  return null;
}

/** Completes an exchange from a streamed OpenAI response read to its end; an error when the stream broke off. */
export function finishStreamedResponse(
  exchange: Exchange,
  stream: OpenAiStreamReader,
  clientTokensIn: number | null,
  tokenizer: ClientTokenizer,
): ExchangeError | null {
  const error = stream.finish();
  if (error !== null) return error;
  exchange.output = stream.output;
  if (stream.finishReason !== null) exchange.finishReason = stream.finishReason;
  exchange.chunks = settleChunkTokens(stream.raw, stream.completionTokens, tokenizer);
  const generated = stream.output + stream.reasoning + stream.toolCalls;
  settleTokens(exchange, clientTokensIn, stream.promptTokens, stream.completionTokens, generated, tokenizer);
  return null;
}
