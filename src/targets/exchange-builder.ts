import type { Exchange, ExchangeError, TargetRequest } from '../core/types.js';

/** A fresh exchange, sent at `sentAt`, with nothing received yet; whoever measures it fills in the rest. */
export function newExchange(index: number, intendedAt: number | null, sentAt: number, streamed: boolean): Exchange {
  return {
    index,
    intendedAt,
    sentAt,
    firstTokenAt: null,
    firstContentAt: null,
    endedAt: sentAt,
    chunks: [],
    streamed,
    tokensIn: null,
    tokensOut: null,
    tokenSource: 'none',
    clientTokensOut: null,
    output: '',
    status: 'ok',
    error: null,
  };
}

/** A fresh exchange for a request about to be sent; the target fills in the rest. */
export function startExchange(
  request: TargetRequest,
  intendedAt: number | null,
  sentAt: number,
  streamed: boolean,
): Exchange {
  return newExchange(request.index, intendedAt, sentAt, streamed);
}

/** Ends an exchange with an error; a cancelled or timed-out request gets that status rather than `error`. */
export function failExchange(exchange: Exchange, error: ExchangeError, endedAt: number): Exchange {
  exchange.endedAt = endedAt;
  exchange.status = error.category === 'cancelled' ? 'cancelled' : error.category === 'timeout' ? 'timeout' : 'error';
  exchange.error = error;
  return exchange;
}
