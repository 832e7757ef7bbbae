import type { TargetConfig } from './target-schema.js';
import type { ClientTokenizer } from '../tokens/client-tokenizer.js';
import type { Target, TargetOptions } from './target.js';

/**
 * One kind of target: the `kind` its config names and how to build the target from that config. The config schema
 * (config/) has already checked the fields, so a factory receives a config of its own kind.
 */
export interface TargetKind {
  readonly kind: TargetConfig['kind'];
  create(config: TargetConfig, options: TargetOptions, tokenizer: ClientTokenizer): Target;
}

/** Thrown by a factory handed a config of another kind: a registry mistake, not a user's. */
export function wrongKind(expected: string, config: TargetConfig): never {
  throw new Error(`the ${expected} target kind was handed a '${config.kind}' config`);
}
