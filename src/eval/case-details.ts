import type { CaseResult } from './case-result.js';
import type { Score, Scorer } from './scorers/scorer.js';

/** What a case's record keeps of its scorers' details. */
export type CaseDetails = Pick<CaseResult, 'label' | 'judge' | 'prediction'>;

/**
 * Folds the details of a case's scores into its record: the label of the suite's label scorer, the summed usage of
 * every model the scorers asked, and the first choice prediction given.
 */
export function caseDetails(
  scored: readonly { scorer: Scorer; score: Score }[],
  labelScorer: Scorer | null,
): CaseDetails {
  let label: string | null = null;
  let judge: CaseResult['judge'] = null;
  let prediction: CaseResult['prediction'];
  for (const { scorer, score } of scored) {
    const details = score.details;
    if (details === undefined) continue;
    prediction ??= details.prediction;
    if (scorer === labelScorer) label = details.label ?? null;
    const usage = details.modelUsage;
    if (usage !== undefined) {
      judge ??= { cost: null, tokensIn: 0, tokensOut: 0 };
      judge.tokensIn += usage.tokensIn ?? 0;
      judge.tokensOut += usage.tokensOut ?? 0;
      if (usage.cost !== null) judge.cost = (judge.cost ?? 0) + usage.cost;
    }
  }
  return { label, judge, ...(prediction === undefined ? {} : { prediction }) };
}
