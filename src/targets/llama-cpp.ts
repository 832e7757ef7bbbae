import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, resolve } from 'node:path';
import type { GgufTargetConfig } from './gguf-config.js';
import { monotonicNs, NS_PER_MS } from '../core/clock.js';
import { messageOf, usageError } from '../core/errors.js';
import type { ContinuationScore, Exchange, TargetRequest, TargetDescription } from '../core/types.js';
import { failExchange, startExchange } from './exchange-builder.js';
import {
  loadNodeLlamaCpp,
  type ChatHistoryItem,
  type ControlledInput,
  type LlamaContextHandle,
  type LlamaHandle,
  type LlamaModelHandle,
  type LlamaSequence,
  type NodeLlamaCpp,
  type Token,
} from './node-llama-cpp.js';
import type { SendContext, Target } from './target.js';
import { wrongKind, type TargetKind } from './target-kind.js';
import type { TokenizerProbe } from '../tokens/prompt-tokenizer.js';

interface Loaded {
  lib: NodeLlamaCpp;
  llama: LlamaHandle;
  model: LlamaModelHandle;
  context: LlamaContextHandle;
  sequence: LlamaSequence;
}

class PromptTooLong extends Error {}

/** Prompt positions whose distributions are held at once when echoing log-probabilities. */
const ECHO_WINDOW = 32;

/** A token's natural-log probability and its most likely alternatives, as text. */
export interface LlamaTokenLogprob {
  token: string;
  logprob: number | null;
  top: { token: string; logprob: number }[];
  /** Where the token starts in the text, in code points. */
  offset: number;
}

/** Hooks for serving the model: output as it is generated, and the log-probabilities of each generated token. */
export interface GenerationHooks {
  onPiece(piece: string, logprob: LlamaTokenLogprob | null): void;
  /** Alternatives to report per generated token; null reports no log-probabilities (and costs nothing). */
  topLogprobs: number | null;
}

/** The first four bytes of a file as Latin-1 text; a GGUF file starts with "GGUF". */
function readMagic(path: string): string {
  try {
    const fd = openSync(path, 'r');
    try {
      const bytes = Buffer.alloc(4);
      const read = readSync(fd, bytes, 0, 4, 0);
      return bytes.subarray(0, read).toString('latin1');
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    throw usageError(
      'MODEL_UNREADABLE',
      `cannot read ${path}: ${messageOf(error)}`,
      'check the path and its permissions',
    );
  }
}

function codePoints(text: string): number {
  let n = 0;
  for (const _ of text) n += 1;
  return n;
}

function topOf(
  model: LlamaModelHandle,
  distribution: Map<Token, number> | undefined,
  count: number,
): { token: string; logprob: number }[] {
  if (distribution === undefined || count === 0) return [];
  return [...distribution.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([token, p]) => ({ token: model.detokenize([token]), logprob: Math.log(p) }));
}

/**
 * A local GGUF model run in-process by node-llama-cpp on the CPU: generation with a timestamp per token, and the
 * log-probability of given continuations (benchmarks' `loglikelihood` mode), tokenized as lm-evaluation-harness does.
 * One context sequence serves requests one at a time; a request's evaluated prefix is kept, so prompts that share
 * few-shot examples or a question evaluate only what differs.
 */
export class LlamaCppTarget implements Target {
  readonly kind = 'gguf';
  readonly scoresContinuations = true;
  private readonly modelPath: string;
  private loaded: Promise<Loaded> | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly config: GgufTargetConfig) {
    this.modelPath = resolve(config.model);
  }

  describe(): TargetDescription {
    return {
      kind: this.kind,
      name: this.config.name ?? basename(this.modelPath),
      url: `file://${this.modelPath}`,
      model: basename(this.modelPath),
      streaming: true,
    };
  }

  private ready(): Promise<Loaded> {
    this.loaded ??= (async () => {
      const lib = await loadNodeLlamaCpp();
      const llama = await lib.getLlama({ gpu: false, build: 'never', logLevel: 'error' });
      const model = await llama.loadModel({ modelPath: this.modelPath });
      // One core is left to Node: with every core computing, llama.cpp's threads and the event loop contend (on 2 cores
      // a tiny model decodes ~90× slower), and the per-token timestamps would measure the contention.
      const threads = this.config.threads ?? Math.max(1, availableParallelism() - 1);
      const context = await model.createContext({
        contextSize: Math.min(this.config.contextSize, model.trainContextSize),
        sequences: 1,
        threads,
      });
      return { lib, llama, model, context, sequence: context.getSequence() };
    })();
    return this.loaded;
  }

  /** Loads the model: a missing file or package is a usage error (exit 2) found before the run starts. */
  async checkReachable(): Promise<void> {
    if (!existsSync(this.modelPath))
      throw usageError(
        'MODEL_NOT_FOUND',
        `no GGUF model at ${this.modelPath}`,
        "check the target's model path (relative paths start at the current directory)",
      );
    const magic = readMagic(this.modelPath);
    if (magic !== 'GGUF')
      throw usageError(
        'MODEL_NOT_GGUF',
        `${this.modelPath} is not a GGUF file (it starts with ${JSON.stringify(magic)}, not "GGUF")`,
        "give a .gguf model file, e.g. one converted with llama.cpp's convert_hf_to_gguf.py",
      );
    try {
      await this.ready();
    } catch (error) {
      this.loaded = null;
      if (error instanceof Error && 'exitCode' in error) throw error;
      throw usageError(
        'MODEL_UNREADABLE',
        `cannot load ${this.modelPath}: ${messageOf(error)}`,
        'is it a GGUF file this llama.cpp build supports?',
      );
    }
  }

  /** The model's own vocabulary, without special tokens. */
  async promptTokenizer(): Promise<TokenizerProbe> {
    const { model } = await this.ready();
    return {
      tokenizer: {
        source: 'model',
        name: `GGUF vocabulary of ${basename(this.modelPath)}`,
        encode: (text) => Promise.resolve(model.tokenize(text, false).map(Number)),
        decode: (tokens) => Promise.resolve(model.detokenize(tokens)),
      },
    };
  }

  send(request: TargetRequest, context: SendContext): Promise<Exchange> {
    return this.sendWith(request, context, null);
  }

  /** `send`, with each generated piece passed to the hooks as it comes (serving the model over HTTP). */
  sendWith(request: TargetRequest, context: SendContext, hooks: GenerationHooks | null): Promise<Exchange> {
    const exchange = startExchange(request, context.intendedAt, monotonicNs(), request.continuations === undefined);
    const run = this.queue.then(() => this.answer(request, exchange, context.signal, hooks));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * The prompt's tokens (after the BOS token) with the log-probability of each given what precedes it — the first
   * token's is null — and the `top` most likely alternatives, with offsets into the prompt in code points. This is
   * what OpenAI-style `echo` + `logprobs` return, and what log-likelihood scoring reads.
   */
  echoLogprobs(prompt: string, top: number): Promise<LlamaTokenLogprob[]> {
    const run = this.queue.then(async () => {
      const loaded = await this.ready();
      const { model } = loaded;
      const tokens = this.withBos(model, model.tokenize(prompt));
      const skip = tokens.length - model.tokenize(prompt).length;
      // Each position's full distribution over the vocabulary is large (32k entries for a llama vocabulary): windows of
      // positions are evaluated in turn and reduced to what is reported; the sequence keeps the evaluated prefix.
      const next: { logprob: number; top: { token: string; logprob: number }[] }[] = [];
      for (let from = 0; from <= tokens.length - 2; from += ECHO_WINDOW) {
        const to = Math.min(from + ECHO_WINDOW - 1, tokens.length - 2);
        const distributions = await this.evaluate(loaded, tokens.slice(0, to + 1), from, to, () => true);
        distributions.forEach((distribution, k) => {
          next.push({
            logprob: Math.log(distribution?.get(tokens[from + k + 1] as Token) ?? 0),
            top: topOf(model, distribution, top),
          });
        });
      }
      const result: LlamaTokenLogprob[] = [];
      let offset = 0;
      for (let i = skip; i < tokens.length; i += 1) {
        const predicted = i === 0 ? undefined : next[i - 1];
        const text = model.detokenize(tokens.slice(skip, i + 1));
        const piece = text.slice(model.detokenize(tokens.slice(skip, i)).length);
        result.push({ token: piece, logprob: predicted?.logprob ?? null, top: predicted?.top ?? [], offset });
        offset += codePoints(piece);
      }
      return result;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async answer(
    request: TargetRequest,
    exchange: Exchange,
    signal: AbortSignal,
    hooks: GenerationHooks | null,
  ): Promise<Exchange> {
    if (signal.aborted)
      return failExchange(
        exchange,
        { category: 'cancelled', message: 'the run stopped', httpStatus: null },
        monotonicNs(),
      );
    try {
      const loaded = await this.ready();
      if (request.continuations !== undefined)
        await this.scoreContinuations(loaded, request.prompt, request.continuations, exchange);
      else await this.generate(loaded, request, exchange, signal, hooks);
      exchange.endedAt = monotonicNs();
      return exchange;
    } catch (error) {
      const timedOut = error instanceof Error && 'timeout' in error;
      const category = signal.aborted
        ? 'cancelled'
        : timedOut
          ? 'timeout'
          : error instanceof PromptTooLong
            ? 'http_4xx'
            : 'stream_error';
      return failExchange(exchange, { category, message: messageOf(error), httpStatus: null }, monotonicNs());
    }
  }

  /**
   * Evaluates `tokens` in the sequence, keeping the prefix it already holds; returns, for each position from `from`
   * to `to` that `wanted` selects, its probabilities of the next token (indexed from 0 at `from`).
   */
  private async evaluate(
    { sequence }: Loaded,
    tokens: Token[],
    from: number,
    to: number,
    wanted: (position: number) => boolean,
  ): Promise<(Map<Token, number> | undefined)[]> {
    if (tokens.length > sequence.contextSize)
      throw new PromptTooLong(
        `the prompt needs ${tokens.length} tokens, more than the context size ${sequence.contextSize}; raise the target's contextSize`,
      );
    const current = sequence.contextTokens;
    let common = 0;
    while (common < current.length && common < tokens.length && current[common] === tokens[common]) common += 1;
    const start = Math.min(common, from, tokens.length - 1);
    if (start < sequence.nextTokenIndex)
      await sequence.eraseContextTokenRanges([{ start, end: sequence.nextTokenIndex }]);
    const input = tokens.slice(start).map((token, i): ControlledInput => {
      const position = start + i;
      return position >= from && position <= to && wanted(position)
        ? [token, { generateNext: { probabilities: true } }]
        : token;
    });
    const output = await sequence.controlledEvaluate(input);
    return Array.from({ length: to - from + 1 }, (_, k) => output[from - start + k]?.next.probabilities);
  }

  private withBos(model: LlamaModelHandle, tokens: Token[]): Token[] {
    return model.tokens.bos === null ? tokens : [model.tokens.bos, ...tokens];
  }

  /** lm-evaluation-harness's split: the context's trailing spaces go to the continuation; continuation tokens are those of the whole text past the context's. */
  private async scoreContinuations(
    loaded: Loaded,
    context: string,
    continuations: readonly string[],
    exchange: Exchange,
  ): Promise<void> {
    const { model } = loaded;
    const trimmed = context.replace(/\s+$/, '');
    const moved = context.slice(trimmed.length);
    const contextTokens = this.withBos(model, model.tokenize(trimmed));
    const scores: ContinuationScore[] = [];
    // The distribution after the context and a continuation's first k tokens, shared by every choice that starts
    // with those tokens (all of MMLU's " A"…" D" share both of theirs): each is computed once per request, since a
    // full distribution over the vocabulary costs far more than evaluating a token.
    const distributions = new Map<string, Map<Token, number> | undefined>();
    let tokensIn = 0;
    for (const continuation of continuations) {
      const whole = this.withBos(model, model.tokenize(trimmed + moved + continuation));
      const ending = whole.slice(contextTokens.length);
      if (ending.length === 0) throw new Error(`the continuation '${continuation}' adds no token to the context`);
      const tokens = [...contextTokens, ...ending];
      const from = contextTokens.length - 1;
      const keyAt = (position: number): string => ending.slice(0, position - from).join(',');
      if (ending.some((_, k) => !distributions.has(keyAt(from + k)))) {
        const computed = await this.evaluate(
          loaded,
          tokens,
          from,
          tokens.length - 2,
          (position) => !distributions.has(keyAt(position)),
        );
        computed.forEach((distribution, k) => {
          if (distribution !== undefined) distributions.set(keyAt(from + k), distribution);
        });
      }
      let logprob = 0;
      let greedy = true;
      ending.forEach((token, k) => {
        const distribution = distributions.get(keyAt(from + k));
        logprob += Math.log(distribution?.get(token) ?? 0);
        greedy &&= distribution?.keys().next().value === token;
      });
      scores.push({ logprob, isGreedy: greedy, tokens: ending.length });
      tokensIn += tokens.length;
    }
    exchange.loglikelihoods = scores;
    exchange.tokensIn = tokensIn;
    exchange.tokensOut = 0;
    exchange.tokenSource = 'server';
  }

  private promptTokens({ lib, model }: Loaded, request: TargetRequest): Token[] {
    if (request.messages === null) return this.withBos(model, model.tokenize(request.prompt));
    const chatHistory: ChatHistoryItem[] = request.messages.map((m): ChatHistoryItem =>
      m.role === 'system'
        ? { type: 'system', text: m.content }
        : m.role === 'assistant'
          ? { type: 'model', response: [m.content] }
          : { type: 'user', text: m.content },
    );
    chatHistory.push({ type: 'model', response: [] });
    return lib.resolveChatWrapper(model).generateContextState({ chatHistory }).contextText.tokenize(model.tokenizer);
  }

  /** Greedy or sampled tokens after the prompt, each with its full distribution when log-probabilities are wanted. */
  private async *tokensAfter(
    sequence: LlamaSequence,
    input: Token[],
    wantProbabilities: boolean,
  ): AsyncGenerator<{ token: Token; probabilities: Map<Token, number> | undefined }> {
    const options = { temperature: this.config.temperature, seed: this.config.seed };
    if (wantProbabilities) {
      for await (const { token, probabilities } of sequence.evaluateWithMetadata(
        input,
        { probabilities: true },
        options,
      ))
        yield { token, probabilities };
      return;
    }
    for await (const token of sequence.evaluate(input, options)) yield { token, probabilities: undefined };
  }

  private async generate(
    loaded: Loaded,
    request: TargetRequest,
    exchange: Exchange,
    signal: AbortSignal,
    hooks: GenerationHooks | null,
  ): Promise<void> {
    const { model, sequence } = loaded;
    const prompt = this.promptTokens(loaded, request);
    const maxTokens = request.maxTokens ?? this.config.maxTokens;
    if (prompt.length + maxTokens > sequence.contextSize)
      throw new PromptTooLong(
        `the prompt (${prompt.length} tokens) and max tokens (${maxTokens}) exceed the context size ${sequence.contextSize}; raise the target's contextSize`,
      );
    const current = sequence.contextTokens;
    let common = 0;
    while (common < current.length && common < prompt.length && current[common] === prompt[common]) common += 1;
    const start = Math.min(common, prompt.length - 1);
    if (start < sequence.nextTokenIndex)
      await sequence.eraseContextTokenRanges([{ start, end: sequence.nextTokenIndex }]);
    const deadline = exchange.sentAt + this.config.timeout * NS_PER_MS;
    const generated: Token[] = [];
    let emitted = '';
    for await (const { token, probabilities } of this.tokensAfter(
      sequence,
      prompt.slice(start),
      hooks !== null && hooks.topLogprobs !== null,
    )) {
      if (model.isEogToken(token)) break;
      const now = monotonicNs();
      generated.push(token);
      if (hooks !== null) {
        // Detokenizing the whole output keeps multi-token characters whole; a piece is what the text grew by.
        const text = model.detokenize(generated);
        const piece = text.slice(emitted.length);
        const logprob =
          hooks.topLogprobs === null
            ? null
            : {
                token: piece,
                logprob: Math.log(probabilities?.get(token) ?? 0),
                top: topOf(model, probabilities, hooks.topLogprobs),
                offset: codePoints(emitted),
              };
        emitted = text;
        hooks.onPiece(piece, logprob);
      }
      exchange.chunks.push({ receivedAt: now, tokens: 1, hasContent: true });
      exchange.firstTokenAt ??= now;
      exchange.firstContentAt ??= now;
      if (generated.length >= maxTokens || signal.aborted) break;
      if (now > deadline) throw Object.assign(new Error(`no end after ${this.config.timeout} ms`), { timeout: true });
    }
    exchange.output = model.detokenize(generated);
    exchange.tokensIn = prompt.length;
    exchange.tokensOut = generated.length;
    exchange.clientTokensOut = generated.length;
    exchange.tokenSource = 'server';
    if (signal.aborted) throw new Error('the run stopped');
  }

  async close(): Promise<void> {
    const loaded = this.loaded;
    this.loaded = null;
    if (loaded === null) return;
    const { context, model, llama } = await loaded.catch(() => ({ context: null, model: null, llama: null }));
    await context?.dispose();
    await model?.dispose();
    await llama?.dispose();
  }
}

/** `kind: gguf`: a GGUF model run in this process by node-llama-cpp. */
export const ggufTargetKind: TargetKind = {
  kind: 'gguf',
  create: (config) => (config.kind === 'gguf' ? new LlamaCppTarget(config) : wrongKind('gguf', config)),
};
