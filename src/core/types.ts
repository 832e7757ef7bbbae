/**
 * The central types every part of yardstick speaks. All `…At` fields are monotonic nanoseconds
 * (see core/clock.ts); durations carry their unit in the name.
 */

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string;
}

/** One request to send: a plain prompt (completions) or chat messages (chat). */
export interface TargetRequest {
  /** Position in the run, from 0. */
  index: number;
  /** Identifies the request's content: requests with the same id send the same prompt and settings, so a target may reuse their encoded body; a negative id marks a one-off request. */
  promptId: number;
  prompt: string;
  messages: ChatMessage[] | null;
  maxTokens: number | null;
  /** Input token count by the client tokenizer, computed once when the input was made; null if not known. */
  clientTokensIn: number | null;
  /** Extra body fields for this request (e.g. `ignore_eos` to force the output length); null for none. */
  extraBody: Record<string, unknown> | null;
  /**
   * When set, the target scores these continuations of `prompt` by their log-probability instead of generating
   * (the `loglikelihood` scoring of benchmarks); the answer comes back in `Exchange.loglikelihoods`, in this order.
   */
  continuations?: readonly string[];
}

/** The log-probability a model gives one continuation of a prompt. */
export interface ContinuationScore {
  /** Sum of the natural-log probabilities of the continuation's tokens. */
  logprob: number;
  /** True when every continuation token was the model's most likely token; null when the server did not say. */
  isGreedy: boolean | null;
  /** How many tokens the continuation spanned. */
  tokens: number;
  /**
   * Set when the server listed only its most likely next tokens and this continuation was not among them: its
   * log-probability is below `logprob` (the least of those listed), not equal to it.
   */
  beyondTopK?: true;
}

/** A chunk of the response stream that carried generated tokens. */
export interface TokenChunk {
  receivedAt: number;
  /** Tokens the chunk carried: from streamed usage deltas when the server sends them, else the client tokenizer. */
  tokens: number;
  /** False when the chunk carried only reasoning tokens. */
  hasContent: boolean;
}

export type ExchangeStatus = 'ok' | 'error' | 'timeout' | 'cancelled';

/** Why a request failed; the keys of a summary's error breakdown. */
export type ErrorCategory =
  'http_4xx' | 'http_429' | 'http_5xx' | 'timeout' | 'connection' | 'malformed_response' | 'stream_error' | 'cancelled';

export const ERROR_CATEGORIES: readonly ErrorCategory[] = [
  'http_4xx',
  'http_429',
  'http_5xx',
  'timeout',
  'connection',
  'malformed_response',
  'stream_error',
  'cancelled',
];

export interface ExchangeError {
  category: ErrorCategory;
  message: string;
  httpStatus: number | null;
  /** The server's Retry-After (429, 503), in milliseconds, when it sent one. */
  retryAfterMs?: number;
}

export type TokenSource = 'server' | 'client' | 'none';

/** One request and its response, successful or not. Failures are data, never thrown. */
export interface Exchange {
  index: number;
  /** When an open-loop schedule meant to send it; null in closed loops. */
  intendedAt: number | null;
  sentAt: number;
  firstTokenAt: number | null;
  firstContentAt: number | null;
  endedAt: number;
  /** Token-bearing chunks in arrival order (streaming only). */
  chunks: TokenChunk[];
  streamed: boolean;
  tokensIn: number | null;
  tokensOut: number | null;
  tokenSource: TokenSource;
  /** Output tokens by the client tokenizer, kept to report disagreement with the server's usage. */
  clientTokensOut: number | null;
  output: string;
  /** One score per requested continuation, for requests that asked for them. */
  loglikelihoods?: ContinuationScore[];
  status: ExchangeStatus;
  error: ExchangeError | null;
  /** Set when the request was sent a second time because the reused connection it went out on closed unanswered. */
  resent?: true;
  /** Why generation stopped, as the server said (`stop`, `length`, `tool_calls`, `content_filter`…); absent when it did not. */
  finishReason?: string;
  /** How the request met the network; absent on targets that use none (a local model). */
  network?: NetworkTiming;
}

/** A request's network phases: its connection's setup (ns) and when the response's head arrived. */
export interface NetworkTiming {
  /** Whether it went out on a connection that had carried others; null when the HTTP client does not say (undici). */
  reused: boolean | null;
  /** Name lookup, TCP connect and TLS handshake of the new connection it went out on; null where none happened or the client does not say. */
  dnsNs: number | null;
  connectNs: number | null;
  tlsNs: number | null;
  /** When the response's status line and headers had arrived (monotonic ns); null if they never did. */
  headersAt: number | null;
}

/** Network phases before any are known. */
export function unknownNetworkTiming(): NetworkTiming {
  return { reused: null, dnsNs: null, connectNs: null, tlsNs: null, headersAt: null };
}

/** Summary statistics of one latency metric in milliseconds. */
export interface LatencyStats {
  count: number;
  mean: number;
  min: number;
  max: number;
  stddev: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  p999: number;
}

/** A request's network phases (HTTP targets): name lookup, TCP connect and TLS handshake of a new connection, time to the response's head, and receiving the rest. */
export const NETWORK_METRICS = ['dns', 'connect', 'tls', 'ttfb', 'receive'] as const;

export type NetworkMetric = (typeof NETWORK_METRICS)[number];

export const LATENCY_METRICS = [
  'e2e',
  'e2eFromIntended',
  'scheduleLag',
  'ttft',
  'ttfo',
  'tpot',
  'itl',
  'chunkGap',
  ...NETWORK_METRICS,
] as const;

export type LatencyMetric = (typeof LATENCY_METRICS)[number];

export interface ThresholdResult {
  expr: string;
  pass: boolean;
  /** The measured value in the expression's unit (ms for latencies, a fraction for rates of errors, per second for throughputs); null if not measured. */
  value: number | null;
}

export interface ResourceSample {
  /** Seconds since the run started. */
  atS: number;
  generatorCpuPercent: number;
  generatorRssBytes: number;
  systemCpuPercent: number;
  targetCpuPercent: number | null;
  targetRssBytes: number | null;
  gpuUtilPercent: number | null;
  gpuMemoryBytes: number | null;
  gpuPowerW: number | null;
  /** Mean CPU package power since the previous sample, from RAPL energy counters; null when not measurable. */
  cpuPackagePowerW: number | null;
}

/** What a run records about a target: enough to reproduce it, never a secret. */
export interface TargetDescription {
  kind: string;
  name: string;
  url: string;
  model: string | null;
  streaming: boolean;
}
