import { createHash } from 'node:crypto';
import type { TargetConfig } from '../targets/target-schema.js';
import { redactSecrets } from '../config/redact.js';
import type { ContinuationScore, TargetRequest } from '../core/types.js';
import type { Store } from '../store/store.js';

/** What the cache keeps of a successful response. */
export interface CachedResponse {
  output: string;
  e2eMs: number;
  ttftMs: number | null;
  tpotMs: number | null;
  tokensIn: number | null;
  tokensOut: number | null;
  loglikelihoods?: ContinuationScore[];
}

/**
 * Responses by a hash of the target (what changes answers: kind, URL, model, body, headers — not its name,
 * timeout or prices), the request and the repeat index, so rerunning a suite is free while each repeat still draws
 * its own sample. Kept in the store; only successful responses are cached.
 */
export class ResponseCache {
  private readonly targetIdentity: string;

  constructor(
    private readonly store: Store,
    target: TargetConfig,
  ) {
    const { name: _name, pricing: _pricing, ...rest } = target;
    const identity = Object.fromEntries(Object.entries(rest).filter(([key]) => key !== 'timeout'));
    this.targetIdentity = JSON.stringify(redactSecrets(identity));
  }

  keyOf(request: TargetRequest, repeat: number): string {
    const content = JSON.stringify([
      this.targetIdentity,
      request.prompt,
      request.messages,
      request.maxTokens,
      request.extraBody,
      request.continuations ?? null,
      repeat,
    ]);
    return createHash('sha256').update(content).digest('base64url');
  }

  async get(key: string): Promise<CachedResponse | null> {
    const value = await this.store.getCached(key);
    return value === null ? null : (value as CachedResponse);
  }

  put(key: string, response: CachedResponse): Promise<void> {
    return this.store.putCached(key, response);
  }
}
