import { z } from 'zod';
import { durationMs } from '../../config/fields.js';
import { scorerCommon } from './scorer-fields.js';
import { passFail, unscored, type Score, type ScoreInput, type Scorer } from './scorer.js';
import { wrongType, type ScorerKind } from './scorer-kind.js';

export const latencyScorerConfig = z.strictObject({
  type: z.literal('latency'),
  max: durationMs,
  metric: z.enum(['e2e', 'ttft']).default('e2e'),
  ...scorerCommon,
});
export const costScorerConfig = z.strictObject({
  type: z.literal('cost'),
  max: z.number().nonnegative(),
  ...scorerCommon,
});

/** The configs of the scorer types this file defines, for the suite schema (`scorer-schema.ts`). */
export const efficiencyScorerConfigs = [latencyScorerConfig, costScorerConfig] as const;

/** The case's own latency (end to end, or time to first token) is within a bound. */
export class LatencyScorer implements Scorer {
  readonly type = 'latency';
  constructor(
    readonly name: string,
    readonly weight: number,
    private readonly maxMs: number,
    private readonly metric: 'e2e' | 'ttft',
  ) {}

  score({ response }: ScoreInput): Score {
    const ms = this.metric === 'e2e' ? response.e2eMs : response.ttftMs;
    if (ms === null) return unscored('no time to first token (the response was not streamed)');
    return passFail(ms <= this.maxMs, `${this.metric} ${ms.toFixed(1)} ms (bound ${this.maxMs} ms)`);
  }
}

/** The case's cost (tokens × the target's pricing) is within a bound. */
export class CostScorer implements Scorer {
  readonly type = 'cost';
  constructor(
    readonly name: string,
    readonly weight: number,
    private readonly max: number,
  ) {}

  score({ response }: ScoreInput): Score {
    if (response.cost === null)
      return unscored("no cost: give the target a 'pricing' (and a server that reports usage)");
    return passFail(response.cost <= this.max, `cost ${response.cost.toPrecision(3)} (bound ${this.max})`);
  }
}

/** `latency` and `cost`: each answer's own latency or cost against a limit. */
export const efficiencyScorerKind: ScorerKind = {
  types: ['latency', 'cost'],
  build: (config, { name }) => {
    if (config.type === 'latency') return { scorer: new LatencyScorer(name, config.weight, config.max, config.metric) };
    if (config.type === 'cost') return { scorer: new CostScorer(name, config.weight, config.max) };
    return wrongType('efficiency', config);
  },
};
