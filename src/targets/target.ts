import type { Exchange, TargetDescription, TargetRequest } from '../core/types.js';
import type { TokenizerProbe } from '../tokens/prompt-tokenizer.js';

export interface SendContext {
  /** Aborted when the run stops; the exchange then ends as `cancelled`. */
  signal: AbortSignal;
  /** The open-loop schedule's intended send time, null in closed loops. */
  intendedAt: number | null;
}

/**
 * How a target scores continuations: `echo`, the server's log-probabilities of the prompt's own tokens (any
 * continuation); `top-logprobs`, the first generated token's most likely alternatives (single-token continuations
 * only, such as MMLU's letters).
 */
export type ContinuationScoring = { method: 'echo' } | { method: 'top-logprobs'; topLogprobs: number };

/** A scoring method the server answered with, or why it answered neither way. */
export type ContinuationScoringProbe = ContinuationScoring | { unsupported: string };

/** Something that answers requests. `send` never throws: failures come back as exchanges with an error. */
export interface Target {
  readonly kind: string;
  /** True when the target can answer requests with `continuations` (log-probability scoring). */
  readonly scoresContinuations: boolean;
  describe(): TargetDescription;
  /** Fails with exit code 4 when the target cannot be reached; called once before a run. */
  checkReachable(): Promise<void>;
  /**
   * Asks the server once how it can score continuations (not every OpenAI-compatible server echoes prompt
   * log-probabilities), and scores them that way from then on. Absent on targets that need no asking (they compute
   * every continuation's log-probability themselves).
   */
  probeContinuationScoring?(): Promise<ContinuationScoringProbe>;
  /**
   * The model's own tokenizer, for counting synthetic prompts in its tokens: the server's `/tokenize`, or a local
   * model's vocabulary. Absent on targets that have none; call after `checkReachable`.
   */
  promptTokenizer?(): Promise<TokenizerProbe>;
  send(request: TargetRequest, context: SendContext): Promise<Exchange>;
  close(): Promise<void>;
}

export interface TargetOptions {
  /** Upper bound on simultaneous requests, used to size the connection pool. */
  maxConnections: number;
}

/** Whether a value has a target's methods (own or inherited): a target a user's code hands over. */
export function isTarget(value: unknown): value is Target {
  if (typeof value !== 'object' || value === null) return false;
  return ['describe', 'checkReachable', 'send', 'close'].every((m) => typeof Reflect.get(value, m) === 'function');
}
