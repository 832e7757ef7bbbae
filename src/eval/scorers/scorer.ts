import type { ContinuationScore } from '../../core/types.js';
import type { ChoicePrediction } from '../case-result.js';
import type { EvalCase } from '../cases.js';

/** What the target answered for one case, as the scorers see it. */
export interface CaseResponse {
  output: string;
  e2eMs: number;
  ttftMs: number | null;
  tokensIn: number | null;
  tokensOut: number | null;
  /** In the pricing's currency; null when the target has no pricing. */
  cost: number | null;
  /** The log-probability of each continuation, for requests that asked for them. */
  loglikelihoods?: ContinuationScore[];
}

export interface ScoreInput {
  evalCase: EvalCase;
  response: CaseResponse;
  /** The prompt as sent (text, or the chat messages joined), for judges and custom scorers. */
  prompt: string;
  signal: AbortSignal;
}

/** Usage of a model a scorer asks of its own (a judge) for one case, recorded apart from the target's. */
export interface ModelUsage {
  e2eMs: number;
  tokensIn: number | null;
  tokensOut: number | null;
  cost: number | null;
  /** The model's raw answer, kept for audit. */
  output: string;
}

/**
 * What a scorer knows of a case beyond its verdict, each member for what a scorer is (never which class): the
 * executor folds them into the case's record.
 */
export interface ScoreDetails {
  /** From a scorer that reads labels (`labels`): the label the answer named; null when it named none. */
  label?: string | null;
  /** From a scorer that asks a model (`asksAModel`): that model's usage for this case. */
  modelUsage?: ModelUsage;
  /** From a scorer of a choice benchmark: the answer as a choice index. */
  prediction?: ChoicePrediction;
}

/**
 * One scorer's verdict on a case. `value` in [0, 1] (similarities and judge scores are graded); `pass` the
 * scorer's decision. Both null when the case could not be scored (judge failed or answered unreadably, custom
 * function threw, no price known): such cases are counted as unscored, never as wrong.
 */
export interface Score {
  value: number | null;
  pass: boolean | null;
  explanation: string;
  details?: ScoreDetails;
}

/** How a scorer that reads labels from answers reads an expected answer as one of its labels. */
export interface LabelReader {
  /** The label this text names, in the scorer's own spelling; null when it names none. */
  canonical(text: string): string | null;
}

export interface Scorer {
  readonly name: string;
  readonly type: string;
  readonly weight: number;
  /**
   * Set by a scorer that reads a label from each answer (`choice`): the suite's first such scorer feeds the
   * classification metrics, and the `label` of its details is kept with each case.
   */
  readonly labels?: LabelReader;
  /**
   * True for a scorer that asks a model of its own (a judge): when the run is interrupted its verdict is unknown, so
   * the case is not kept and is sent again on resume.
   */
  readonly asksAModel?: boolean;
  /** Called once before any request: loads modules, checks the judge is reachable (exit 4 if not). */
  prepare?(): Promise<void>;
  score(input: ScoreInput): Score | Promise<Score>;
  close?(): Promise<void>;
}

export function passFail(pass: boolean, explanation: string): Score {
  return { value: pass ? 1 : 0, pass, explanation };
}

export function unscored(explanation: string): Score {
  return { value: null, pass: null, explanation };
}
