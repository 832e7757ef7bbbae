import type { TokenChunk } from '../core/types.js';
import type { ClientTokenizer } from '../tokens/client-tokenizer.js';

/** A token-bearing chunk as received, before its token count is settled. */
export interface RawChunk {
  receivedAt: number;
  text: string;
  hasContent: boolean;
  /** The server's running completion-token count at this chunk, when it streams usage with every chunk. */
  cumulativeTokens: number | null;
}

/**
 * Settles how many tokens each chunk carried: the server's streamed usage deltas when every chunk has one;
 * else one per chunk when the server's total equals the chunk count; else the client tokenizer's count
 * of the chunk's text (at least one).
 */
export function settleChunkTokens(
  raw: readonly RawChunk[],
  serverTotal: number | null,
  tokenizer: ClientTokenizer,
): TokenChunk[] {
  if (raw.length > 0 && raw.every((c) => c.cumulativeTokens !== null)) {
    let previous = 0;
    return raw.map((c) => {
      const cumulative = c.cumulativeTokens ?? previous;
      const tokens = Math.max(1, cumulative - previous);
      previous = Math.max(previous, cumulative);
      return { receivedAt: c.receivedAt, tokens, hasContent: c.hasContent };
    });
  }
  if (serverTotal !== null && serverTotal === raw.length) {
    return raw.map((c) => ({ receivedAt: c.receivedAt, tokens: 1, hasContent: c.hasContent }));
  }
  return raw.map((c) => ({
    receivedAt: c.receivedAt,
    tokens: Math.max(1, tokenizer.count(c.text)),
    hasContent: c.hasContent,
  }));
}
