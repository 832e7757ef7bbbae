import type { TargetConfig } from '../config/schema.js';
import { loadClientTokenizer, type ClientTokenizer } from '../tokens/client-tokenizer.js';
import { BuiltinTarget } from './builtin.js';
import { HttpTarget } from './http.js';
import { LlamaCppTarget } from './llama-cpp.js';
import { OpenAiTarget } from './openai.js';
import type { Target, TargetOptions } from './target.js';

/** Builds the target a config describes; the config schema has already rejected unknown kinds. */
export async function createTarget(config: TargetConfig, options: TargetOptions): Promise<Target> {
  return build(config, options, await loadClientTokenizer());
}

const NOT_FOR_SENDING: ClientTokenizer = {
  count: () => {
    throw new Error('a probe target does not send');
  },
  encode: () => [],
  decode: () => '',
};

/** A target for describing and checking reachability only: it never sends, so it skips loading the tokenizer (~40 MB). */
export function createProbeTarget(config: TargetConfig): Target {
  return build(config, { maxConnections: 1 }, NOT_FOR_SENDING);
}

function build(config: TargetConfig, options: TargetOptions, tokenizer: ClientTokenizer): Target {
  switch (config.kind) {
    case 'openai-chat':
    case 'openai-completions':
      return new OpenAiTarget(config, options, tokenizer);
    case 'http':
      return new HttpTarget(config, options, tokenizer);
    case 'gguf':
      return new LlamaCppTarget(config);
    case 'builtin':
      return new BuiltinTarget(config, options, tokenizer);
  }
}
