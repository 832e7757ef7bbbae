import type { TargetRequest } from '../core/types.js';
import { LlamaCppTarget } from '../targets/llama-cpp.js';
import {
  BadModelRequest,
  type GenerationRequest,
  type GenerationResult,
  type ModelBackend,
  type ServedModelInfo,
  type TokenLogprob,
} from './model-backend.js';

/** Default output budget when a request names none. */
const DEFAULT_MAX_TOKENS = 256;

/**
 * Serves a local GGUF model through node-llama-cpp (the `gguf` target, one request at a time): streamed generation,
 * usage from the model's own tokenizer, log-probabilities of generated tokens, and echoed prompt log-probabilities
 * for log-likelihood scoring (`/v1/completions` with `echo` and `logprobs`).
 */
export class GgufBackend implements ModelBackend {
  readonly details: ServedModelInfo;

  private constructor(
    readonly id: string,
    private readonly target: LlamaCppTarget,
    path: string,
  ) {
    this.details = { kind: 'gguf', description: `local GGUF model through node-llama-cpp (CPU)`, path };
  }

  /** Loads the model; a missing or unreadable file is a usage error (exit 2). */
  static async load(spec: {
    name: string;
    path: string;
    contextSize: number;
    threads: number | null;
  }): Promise<GgufBackend> {
    const target = new LlamaCppTarget({
      kind: 'gguf',
      name: spec.name,
      model: spec.path,
      contextSize: spec.contextSize,
      threads: spec.threads ?? undefined,
      temperature: 0,
      seed: 1,
      maxTokens: DEFAULT_MAX_TOKENS,
      timeout: 300_000,
    });
    await target.checkReachable();
    return new GgufBackend(spec.name, target, target.describe().url);
  }

  async generate(
    request: GenerationRequest,
    prompt: string,
    onText: (piece: string, logprob: TokenLogprob | null) => void,
    signal: AbortSignal,
  ): Promise<GenerationResult> {
    const echoed = request.echo ? await this.target.echoLogprobs(prompt, request.topLogprobs ?? 0) : [];
    const maxTokens = request.maxTokens ?? DEFAULT_MAX_TOKENS;
    if (maxTokens === 0) {
      return {
        text: '',
        promptTokens: echoed.length,
        completionTokens: 0,
        finishReason: 'length',
        logprobs: request.topLogprobs === null ? null : echoed,
      };
    }
    const targetRequest: TargetRequest = {
      index: 0,
      promptId: -1,
      prompt,
      messages:
        request.messages === null
          ? null
          : request.messages.map((m) => ({
              role: m.role === 'system' || m.role === 'assistant' ? m.role : 'user',
              content: m.content,
            })),
      maxTokens,
      clientTokensIn: null,
      extraBody: null,
    };
    const generated: TokenLogprob[] = [];
    const promptLength = [...prompt].length;
    const exchange = await this.target.sendWith(
      targetRequest,
      { signal, intendedAt: null },
      {
        topLogprobs: request.topLogprobs,
        onPiece: (piece, logprob) => {
          const shifted =
            logprob === null ? null : { ...logprob, offset: logprob.offset + (request.echo ? promptLength : 0) };
          if (shifted !== null) generated.push(shifted);
          onText(piece, shifted);
        },
      },
    );
    if (exchange.status !== 'ok') {
      const message = exchange.error?.message ?? 'generation failed';
      if (exchange.error?.category === 'http_4xx') throw new BadModelRequest(message);
      throw new Error(message);
    }
    const tokensOut = exchange.tokensOut ?? 0;
    return {
      text: exchange.output,
      promptTokens: exchange.tokensIn ?? 0,
      completionTokens: tokensOut,
      finishReason: tokensOut >= maxTokens ? 'length' : 'stop',
      logprobs: request.topLogprobs === null ? null : [...echoed, ...generated],
    };
  }

  /** Frees the model. */
  close(): Promise<void> {
    return this.target.close();
  }
}
