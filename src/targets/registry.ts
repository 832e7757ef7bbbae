import type { TargetConfig } from '../config/schema.js';
import { loadClientTokenizer } from '../tokens/client-tokenizer.js';
import { HttpTarget } from './http.js';
import { OpenAiTarget } from './openai.js';
import type { Target, TargetOptions } from './target.js';

/** Builds the target a config describes; the config schema has already rejected unknown kinds. */
export async function createTarget(config: TargetConfig, options: TargetOptions): Promise<Target> {
  const tokenizer = await loadClientTokenizer();
  switch (config.kind) {
    case 'openai-chat':
    case 'openai-completions':
      return new OpenAiTarget(config, options, tokenizer);
    case 'http':
      return new HttpTarget(config, options, tokenizer);
  }
}
