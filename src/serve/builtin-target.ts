import type { BuiltinTargetConfig, OpenAiTargetConfig } from '../config/schema.js';
import type { Exchange, TargetRequest, TargetDescription } from '../core/types.js';
import { registerTargetKind } from '../targets/registry.js';
import { OpenAiTarget } from '../targets/openai.js';
import type { SendContext, Target, TargetOptions } from '../targets/target.js';
import { wrongKind, type TargetKind } from '../targets/target-kind.js';
import type { ClientTokenizer } from '../tokens/client-tokenizer.js';
import { ensureReferenceModels } from './shared-servers.js';

/**
 * A reference model (`kind: builtin`), trained in this process on its own thread and served over the
 * OpenAI-compatible API on 127.0.0.1, so requests take the same HTTP path as any remote model's. The server
 * starts on the first use (training takes seconds) and is shared by every target naming the same model.
 */
export class BuiltinTarget implements Target {
  readonly kind = 'builtin';
  readonly scoresContinuations = false;
  private inner: Promise<OpenAiTarget> | null = null;
  private baseUrl: string | null = null;

  constructor(
    private readonly config: BuiltinTargetConfig,
    private readonly options: TargetOptions,
    private readonly tokenizer: ClientTokenizer,
  ) {}

  describe(): TargetDescription {
    return {
      kind: this.kind,
      name: this.config.name ?? this.config.model,
      url: this.baseUrl ?? 'builtin://127.0.0.1',
      model: this.config.model,
      streaming: true,
    };
  }

  private target(): Promise<OpenAiTarget> {
    this.inner ??= ensureReferenceModels([this.config.model]).then((urls) => {
      this.baseUrl = urls.get(this.config.model) ?? null;
      return new OpenAiTarget(openAiConfigFor(this.config, this.baseUrl ?? ''), this.options, this.tokenizer);
    });
    return this.inner;
  }

  async checkReachable(): Promise<void> {
    await (await this.target()).checkReachable();
  }

  async send(request: TargetRequest, context: SendContext): Promise<Exchange> {
    return (await this.target()).send(request, context);
  }

  async close(): Promise<void> {
    if (this.inner !== null) await (await this.inner).close();
  }
}

/** The openai-chat target that reaches a reference model served at `baseUrl`. */
export function openAiConfigFor(config: BuiltinTargetConfig, baseUrl: string): OpenAiTargetConfig {
  return {
    kind: 'openai-chat',
    name: config.name ?? config.model,
    baseUrl,
    model: config.model,
    headers: {},
    body: {},
    stream: config.stream,
    continuousUsage: false,
    topLogprobs: 20,
    timeout: config.timeout,
    client: 'yardstick',
    pricing: config.pricing,
  };
}

/** `kind: builtin`: a reference model this process trains and serves. */
export const builtinTargetKind: TargetKind = {
  kind: 'builtin',
  create: (config, options, tokenizer) =>
    config.kind === 'builtin' ? new BuiltinTarget(config, options, tokenizer) : wrongKind('builtin', config),
};

/** Makes `kind: builtin` targets available to `createTarget`; the CLI and the library entry points call it. */
export function registerBuiltinTarget(): void {
  registerTargetKind(builtinTargetKind);
}
