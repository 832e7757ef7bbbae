import { resolve } from 'node:path';
import { SCORING_MODES, type ScoringMode } from '../../eval/scoring-mode.js';
import { usageError } from '../../core/errors.js';
import { numberOr, prune } from '../flags.js';

/** The benchmark flags of `yardstick eval`. */
export interface BenchmarkFlags {
  benchmark?: string;
  mode?: string;
  fewshot?: string;
  subjects?: string;
  split?: string;
  dataDir?: string;
  offline?: boolean;
  maxTokens?: string;
  extract?: string;
  kind?: string;
  url?: string;
  model?: string;
  apiKeyEnv?: string;
  topLogprobs?: string;
  limit?: string;
}

function list(text: string | undefined): string[] | undefined {
  return text === undefined
    ? undefined
    : text
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
}

function modesOf(text: string | undefined): ScoringMode | ScoringMode[] | undefined {
  const modes = list(text);
  if (modes === undefined) return undefined;
  const unknown = modes.filter((m) => !(SCORING_MODES as readonly string[]).includes(m));
  if (unknown.length > 0)
    throw usageError(
      'FLAG_INVALID',
      `--mode '${unknown.join(', ')}' is not a scoring mode`,
      `use ${SCORING_MODES.join(', ')} (or several, comma-separated, to compare them)`,
    );
  return modes.length === 1 ? (modes[0] as ScoringMode) : (modes as ScoringMode[]);
}

/** Lays the benchmark flags over a config: `--benchmark`, `--mode`… set `benchmark.*`; `--url`/`--model` define the one target. */
export function benchmarkOverrides(flags: BenchmarkFlags): Record<string, unknown> {
  const overrides = prune({
    benchmark: {
      tasks: list(flags.benchmark),
      mode: modesOf(flags.mode),
      fewshot: numberOr(flags.fewshot),
      subjects: list(flags.subjects),
      split: flags.split,
      dataDir: flags.dataDir === undefined ? undefined : resolve(flags.dataDir),
      offline: flags.offline === true ? true : undefined,
      limit: numberOr(flags.limit),
      maxTokens: numberOr(flags.maxTokens),
      extract: flags.extract,
    },
  });
  if (flags.url !== undefined || flags.model !== undefined || flags.kind !== undefined) {
    const kind = flags.kind ?? 'openai-completions';
    overrides.targets = [
      prune({
        kind,
        [kind === 'http' ? 'url' : 'baseUrl']: flags.url,
        model: flags.model,
        apiKeyEnv: flags.apiKeyEnv,
        topLogprobs: numberOr(flags.topLogprobs),
      }),
    ];
  }
  return overrides;
}
