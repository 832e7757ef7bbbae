import type { Exchange } from '../core/types.js';

/** Per-request timings in nanoseconds, as docs/metrics.md defines them; null where a metric does not apply. */
export interface RequestTimingsNs {
  e2e: number;
  e2eFromIntended: number | null;
  scheduleLag: number | null;
  ttft: number | null;
  ttfo: number | null;
  tpot: number | null;
}

/** A request's network phases in nanoseconds (docs/metrics.md); null where a phase did not happen or is not known. */
export interface NetworkTimingsNs {
  dns: number | null;
  connect: number | null;
  tls: number | null;
  /** From sending to the response's status line and headers. */
  ttfb: number | null;
  /** From the response's head to its end. */
  receive: number | null;
}

/** The network phases of one exchange. */
export function networkTimingsNs(exchange: Exchange): NetworkTimingsNs {
  const network = exchange.network;
  if (network === undefined) return { dns: null, connect: null, tls: null, ttfb: null, receive: null };
  const headersAt = network.headersAt;
  return {
    dns: network.dnsNs,
    connect: network.connectNs,
    tls: network.tlsNs,
    ttfb: headersAt === null ? null : headersAt - exchange.sentAt,
    receive: headersAt === null ? null : exchange.endedAt - headersAt,
  };
}

/** Computes the per-request metrics of one exchange. */
export function requestTimingsNs(exchange: Exchange): RequestTimingsNs {
  const lastChunk = exchange.chunks[exchange.chunks.length - 1];
  const endAt = lastChunk?.receivedAt ?? exchange.endedAt;
  const tokensOut = exchange.tokensOut ?? 0;
  const ttft = exchange.firstTokenAt === null ? null : exchange.firstTokenAt - exchange.sentAt;
  let tpot: number | null = null;
  if (exchange.firstTokenAt !== null && lastChunk !== undefined && tokensOut > 1) {
    tpot = (lastChunk.receivedAt - exchange.firstTokenAt) / (tokensOut - 1);
  }
  return {
    e2e: (exchange.streamed ? endAt : exchange.endedAt) - exchange.sentAt,
    e2eFromIntended:
      exchange.intendedAt === null ? null : (exchange.streamed ? endAt : exchange.endedAt) - exchange.intendedAt,
    scheduleLag: exchange.intendedAt === null ? null : exchange.sentAt - exchange.intendedAt,
    ttft,
    ttfo: exchange.firstContentAt === null ? null : exchange.firstContentAt - exchange.sentAt,
    tpot,
  };
}

/**
 * Calls `visit(gapNs, tokens)` for each gap between consecutive token-bearing chunks; `tokens` is how many
 * tokens the later chunk carried. Inter-token latency spreads the gap evenly over those tokens; the raw gap
 * is the chunk gap.
 */
export function forEachChunkGap(exchange: Exchange, visit: (gapNs: number, tokens: number) => void): void {
  const chunks = exchange.chunks;
  for (let i = 1; i < chunks.length; i += 1) {
    const current = chunks[i];
    const previous = chunks[i - 1];
    if (current === undefined || previous === undefined) continue;
    visit(current.receivedAt - previous.receivedAt, current.tokens);
  }
}
