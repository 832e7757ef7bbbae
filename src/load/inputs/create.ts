import type { InputConfig } from '../../config/schema.js';
import type { ClientTokenizer } from '../../tokens/client-tokenizer.js';
import { fileSource } from './from-file.js';
import type { InputSource } from './input-source.js';
import { syntheticSource } from './synthetic.js';

/** Builds the input source a config describes. */
export function createInputSource(config: InputConfig, tokenizer: ClientTokenizer): InputSource {
  return config.kind === 'synthetic' ? syntheticSource(config, tokenizer) : fileSource(config.path, config.maxTokens ?? null, tokenizer);
}
