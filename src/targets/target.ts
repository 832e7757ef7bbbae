import type { Exchange, TargetRequest } from '../core/types.js';
import type { TokenizerProbe } from '../tokens/prompt-tokenizer.js';

/** What a run records about a target: enough to reproduce it, never a secret. */
export interface TargetDescription {
  kind: string;
  name: string;
  url: string;
  model: string | null;
  streaming: boolean;
}

export interface SendContext {
  /** Aborted when the run stops; the exchange then ends as `cancelled`. */
  signal: AbortSignal;
  /** The open-loop schedule's intended send time, null in closed loops. */
  intendedAt: number | null;
}

/** Something that answers requests. `send` never throws: failures come back as exchanges with an error. */
export interface Target {
  readonly kind: string;
  /** True when the target can answer requests with `continuations` (log-probability scoring). */
  readonly scoresContinuations: boolean;
  describe(): TargetDescription;
  /** Fails with exit code 4 when the target cannot be reached; called once before a run. */
  checkReachable(): Promise<void>;
  /**
   * Asks the server once whether it really scores continuations (not every OpenAI-compatible server echoes prompt
   * log-probabilities): null when it does, else what went wrong. Absent on targets that need no asking.
   */
  probeContinuationScoring?(): Promise<string | null>;
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
