/** One request to a served model, already read from the OpenAI-style body. */
export interface GenerationRequest {
  endpoint: 'chat' | 'completions';
  /** Chat messages (chat endpoint), or null. */
  messages: { role: string; content: string }[] | null;
  /** The prompt (completions endpoint); several prompts are answered as several choices. */
  prompts: string[];
  maxTokens: number | null;
  /** Log-probabilities of the output tokens, with this many alternatives each; null when not asked for. */
  topLogprobs: number | null;
  /** Completions only: return the prompt's tokens with their log-probabilities before the output. */
  echo: boolean;
}

/** A token with its log-probability and the most likely alternatives at its position. */
export interface TokenLogprob {
  token: string;
  logprob: number | null;
  top: { token: string; logprob: number }[];
  /** Where the token starts in the choice's text, in code points. */
  offset: number;
}

/** What a model produced for one prompt. */
export interface GenerationResult {
  text: string;
  promptTokens: number;
  completionTokens: number;
  finishReason: 'stop' | 'length';
  /** Per token, when log-probabilities were asked for: the echoed prompt's tokens, then the output's. */
  logprobs: TokenLogprob[] | null;
}

/** What the server says about a model (`GET /v1/models`), and what a profile run records of it. */
export interface ServedModelInfo {
  kind: 'classifier' | 'gguf';
  description: string;
  /** Classifiers: the dataset, labels, training time, validation accuracy and split sizes. */
  dataset?: string;
  labels?: readonly string[];
  trainMs?: number;
  validationAccuracy?: number | null;
  validationExamples?: number;
  split?: { train: number; validation: number; test: number };
  /** GGUF models: the file. */
  path?: string;
}

/** A model the server can answer with. `generate` calls `onText` with each piece of output as it is produced. */
export interface ModelBackend {
  readonly id: string;
  /** What `GET /v1/models` says about it. */
  readonly details: ServedModelInfo;
  /** Produces the output for one prompt, passing each piece (with its log-probability when asked for) to `onText` as it is made. */
  /** Frees what the model holds (a loaded GGUF model); classifiers hold nothing. */
  close?(): Promise<void>;
  generate(
    request: GenerationRequest,
    prompt: string,
    onText: (piece: string, logprob: TokenLogprob | null) => void,
    signal: AbortSignal,
  ): Promise<GenerationResult>;
}

/** A request the model cannot answer (bad input): the server replies 400 with the message. */
export class BadModelRequest extends Error {}
