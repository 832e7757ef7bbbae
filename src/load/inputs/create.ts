import type { InputConfig } from '../bench-config-schema.js';
import type { ClientTokenizer } from '../../tokens/client-tokenizer.js';
import { fileSource } from './from-file.js';
import type { InputSource } from './input-source.js';
import { syntheticSource, type PreparedPrompts } from './synthetic.js';

/** Builds the input source a config describes; synthetic prompts come prepared (load/inputs/synthetic.ts). */
export function createInputSource(
  config: InputConfig,
  tokenizer: ClientTokenizer,
  prompts: PreparedPrompts | null,
): InputSource {
  if (config.kind === 'file') return fileSource(config.path, config.maxTokens ?? null, tokenizer);
  if (prompts === null) throw new Error('synthetic input needs its prompts prepared first (prepareSyntheticPrompts)');
  return syntheticSource(config, prompts);
}
