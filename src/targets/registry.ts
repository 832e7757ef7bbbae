import type { TargetConfig } from './target-schema.js';
import { YardstickError } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';
import { loadClientTokenizer, type ClientTokenizer } from '../tokens/client-tokenizer.js';
import { httpTargetKind } from './http.js';
import { ggufTargetKind } from './llama-cpp.js';
import { customTargetKind } from './module-target.js';
import { openAiChatTargetKind, openAiCompletionsTargetKind } from './openai.js';
import type { Target, TargetOptions } from './target.js';
import type { TargetKind } from './target-kind.js';

/**
 * The target kinds by name. The kinds of this folder are here from the start; a layer above adds its own
 * (serve/ adds `builtin`, a reference model it serves) with `registerTargetKind`.
 */
const kinds = new Map<string, TargetKind>(
  [openAiChatTargetKind, openAiCompletionsTargetKind, httpTargetKind, ggufTargetKind, customTargetKind].map((k) => [
    k.kind,
    k,
  ]),
);

/** Adds a kind of target; registering the same kind again replaces it. */
export function registerTargetKind(kind: TargetKind): void {
  kinds.set(kind.kind, kind);
}

/** The names of the kinds registered now. */
export function registeredTargetKinds(): string[] {
  return [...kinds.keys()];
}

function kindOf(config: TargetConfig): TargetKind {
  const kind = kinds.get(config.kind);
  if (kind !== undefined) return kind;
  throw new YardstickError({
    code: 'TARGET_KIND_UNAVAILABLE',
    message: `no target kind '${config.kind}' is registered in this program (registered: ${registeredTargetKinds().join(', ')})`,
    hint:
      config.kind === 'builtin'
        ? 'reference models are served by yardstick itself: use the yardstick CLI, or the library entry points (runEval, runBench), which register them'
        : 'check the target kind',
    exitCode: ExitCode.usage,
  });
}

/** Builds the target a config describes; the config schema has already rejected unknown kinds. */
export async function createTarget(config: TargetConfig, options: TargetOptions): Promise<Target> {
  return kindOf(config).create(config, options, await loadClientTokenizer());
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
  return kindOf(config).create(config, { maxConnections: 1 }, NOT_FOR_SENDING);
}
