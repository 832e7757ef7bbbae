import { exactMatch, tokenF1 } from '../accuracy/text.js';
import type { ChoicePrediction } from '../eval/case-result.js';
import { unscored, type Score, type ScoreInput, type Scorer } from '../eval/scorers/scorer.js';
import { argmax, expectedScaleValue, extractChoice, firstLine, parseScaleValue, parseStrictChoice } from './answers.js';
import type { BenchmarkCase, ScoringMode } from './benchmark-cases.js';

/** A regression answer passes when it is within this distance of the gold similarity (one point of the 0–5 scale). */
const SCALE_TOLERANCE = 1;

export interface AnswerSettings {
  mode: ScoringMode;
  chat: boolean;
  /** `generate`: where the answer is in free text. */
  extract: RegExp;
}

/**
 * Scores a benchmark case: the choice with the highest log-probability (and per character, for acc_norm), or the
 * label the answer names. An answer that names no label is wrong (value 0), never unscored; only a missing
 * log-probability list leaves a case unscored.
 */
export class BenchmarkScorer implements Scorer {
  readonly name = 'correct';
  readonly type = 'benchmark';
  readonly weight = 1;

  constructor(
    private readonly cases: ReadonlyMap<string, BenchmarkCase>,
    private readonly settings: AnswerSettings,
  ) {}

  score({ evalCase, response }: ScoreInput): Score {
    const item = this.cases.get(evalCase.id);
    if (item === undefined) return unscored('the case is not part of the benchmark');
    const { doc, task } = item;
    let predicted: number | null = null;
    let predictedNorm: number | null = null;
    let value: number | null = null;
    if (this.settings.mode === 'loglikelihood') {
      const scores = response.loglikelihoods;
      if (scores?.length !== doc.choices.length)
        return unscored(
          `the target returned ${scores?.length ?? 0} log-probabilities for ${doc.choices.length} choices`,
        );
      // A choice beyond the server's top alternatives is below every choice among them: it can never be the argmax.
      const listed = scores.filter((s) => s.beyondTopK !== true).length;
      if (listed === 0)
        return unscored(`none of the ${doc.choices.length} choices was among the server's most likely first tokens`);
      if (listed < scores.length && task.regression)
        return unscored(
          "a choice was not among the server's most likely first tokens, so the expected scale value is unknown",
        );
      const logprobs = scores.map((s) => (s.beyondTopK === true ? -Infinity : s.logprob));
      predicted = argmax(logprobs);
      predictedNorm = argmax(logprobs.map((l, i) => l / Math.max(1, (doc.choices[i] ?? '').length)));
      if (task.regression) value = expectedScaleValue(logprobs, doc.choices.map(Number));
    } else {
      const answer =
        this.settings.mode === 'choice' && !this.settings.chat ? firstLine(response.output) : response.output;
      if (task.regression) value = parseScaleValue(answer, this.settings.mode === 'choice');
      else
        predicted =
          this.settings.mode === 'choice'
            ? parseStrictChoice(answer, doc.labels)
            : extractChoice(answer, doc.labels, this.settings.extract);
    }
    const choiceText = predicted === null ? null : (doc.choiceTexts?.[predicted] ?? null);
    const golds = doc.goldTexts;
    const prediction: ChoicePrediction = {
      task: task.name,
      predicted,
      predictedNorm,
      gold: doc.gold,
      choiceCount: doc.choices.length,
      value,
      goldValue: doc.goldValue ?? null,
      group: doc.group ?? null,
      f1: golds === undefined ? null : choiceText === null ? 0 : tokenF1(choiceText, golds),
      em: golds === undefined ? null : choiceText === null ? 0 : exactMatch(choiceText, golds),
    };
    const label = predicted === null ? null : (doc.labels[predicted] ?? null);
    if (task.regression) {
      if (value === null || doc.goldValue === undefined)
        return {
          value: 0,
          pass: false,
          explanation: 'the answer gave no number on the 0–5 scale',
          details: { label: null, prediction },
        };
      const distance = Math.abs(value - doc.goldValue);
      return {
        value: 1 - distance / 5,
        pass: distance <= SCALE_TOLERANCE,
        explanation: `predicted ${value.toFixed(2)}, gold ${doc.goldValue}`,
        details: { label: null, prediction },
      };
    }
    if (predicted === null)
      return {
        value: 0,
        pass: false,
        explanation: `the answer names none of ${doc.labels.slice(0, 8).join(', ')}${doc.labels.length > 8 ? ', …' : ''}`,
        details: { label: null, prediction },
      };
    const correct = prediction.em === null ? doc.gold.includes(predicted) : prediction.em === 1;
    const gold = doc.gold.map((g) => doc.labels[g]).join(' or ');
    return {
      value: prediction.f1 ?? (correct ? 1 : 0),
      pass: correct,
      explanation: correct ? `chose ${label ?? ''}` : `chose ${label ?? ''}, gold ${gold}`,
      details: { label, prediction },
    };
  }
}
