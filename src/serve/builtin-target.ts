import type { BuiltinTargetConfig } from '../targets/builtin-config.js';
import type { OpenAiTargetConfig } from '../targets/openai-config.js';
import type { TargetDescription } from '../core/types.js';
import { DeferredTarget } from '../targets/deferred-target.js';
import { registerTargetKind } from '../targets/registry.js';
import { OpenAiTarget } from '../targets/openai.js';
import type { Target, TargetOptions } from '../targets/target.js';
import { wrongKind, type TargetKind } from '../targets/target-kind.js';
import type { ClientTokenizer } from '../tokens/client-tokenizer.js';
import { servedModelName } from '../models/reference-catalog.js';
import { ensureReferenceModels } from './shared-servers.js';

/**
 * A reference model (`kind: builtin`), trained in this process on its own thread and served over the
 * OpenAI-compatible API on 127.0.0.1, so requests take the same HTTP path as any remote model's. The server
 * starts on the first use (training takes seconds) and is shared by every target naming the same model.
 */
export class BuiltinTarget extends DeferredTarget {
  readonly kind = 'builtin';
  private baseUrl: string | null = null;

  constructor(
    private readonly config: BuiltinTargetConfig,
    private readonly options: TargetOptions,
    private readonly tokenizer: ClientTokenizer,
  ) {
    super();
  }

  describe(): TargetDescription {
    return {
      kind: this.kind,
      name: this.config.name ?? this.config.model,
      url: this.baseUrl ?? 'builtin://127.0.0.1',
      model: servedModelName(this.config.model, this.config.hyperparameters),
      streaming: true,
    };
  }

  protected async build(): Promise<Target> {
    const served = servedModelName(this.config.model, this.config.hyperparameters);
    const urls = await ensureReferenceModels([{ model: this.config.model, settings: this.config.hyperparameters }]);
    this.baseUrl = urls.get(served) ?? null;
    return new OpenAiTarget(openAiConfigFor(this.config, this.baseUrl ?? ''), this.options, this.tokenizer);
  }
}

/** The openai-chat target that reaches a reference model served at `baseUrl`. */
export function openAiConfigFor(config: BuiltinTargetConfig, baseUrl: string): OpenAiTargetConfig {
  return {
    kind: 'openai-chat',
    name: config.name ?? config.model,
    baseUrl,
    model: servedModelName(config.model, config.hyperparameters),
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
