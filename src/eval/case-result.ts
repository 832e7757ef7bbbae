import type { ContinuationScore, ErrorCategory } from '../core/types.js';

/** A benchmark case's answer as an index among its choices, kept so per-task metrics can be recomputed from the store. */
export interface ChoicePrediction {
  task: string;
  /** The chosen choice: highest log-probability, or the label the answer named; null when it named none. */
  predicted: number | null;
  /** `loglikelihood` mode: the choice with the highest log-probability per character (acc_norm). */
  predictedNorm: number | null;
  /** Indices of the correct choices. */
  gold: number[];
  choiceCount: number;
  /** Regression tasks (STS-B): the predicted and the gold value. */
  value: number | null;
  goldValue: number | null;
  /** Cases scored together (a MultiRC question); null for none. */
  group: string | null;
  /** ReCoRD: token F1 and exact match of the chosen entity against the gold answers. */
  f1: number | null;
  em: number | null;
}

export interface StoredScore {
  value: number | null;
  pass: boolean | null;
  explanation: string;
}

/** Everything recorded about one repeat of one case; stored as it is, so reports and `compare` need nothing else. */
export interface CaseResult {
  caseId: string;
  /** Position in the dataset, from 0. */
  index: number;
  repeat: number;
  /** 'error': the request failed after its retries — never scored as a wrong answer. */
  status: 'ok' | 'error';
  error: { category: ErrorCategory; message: string } | null;
  attempts: number;
  /** Answered from the response cache: its timings are the original request's and are left out of this run's latency. */
  cached: boolean;
  prompt: string;
  output: string;
  expected: string[];
  tags: string[];
  weight: number;
  e2eMs: number | null;
  ttftMs: number | null;
  tpotMs: number | null;
  tokensIn: number | null;
  tokensOut: number | null;
  cost: number | null;
  /** The label the suite's first `choice` scorer extracted (null: none named, or no choice scorer). */
  label: string | null;
  /** The expected answer as one of the choice scorer's labels (null without a choice scorer or expected answer). */
  expectedLabel: string | null;
  scores: Record<string, StoredScore>;
  /** Weighted mean of the scorers' values; null when no scorer could score the case. */
  score: number | null;
  /** True when every scorer that scored the case passed it; null when none could. */
  pass: boolean | null;
  judge: { cost: number | null; tokensIn: number; tokensOut: number } | null;
  /** Benchmark cases: the answer as a choice index. */
  prediction?: ChoicePrediction;
  /** `loglikelihood` mode: the log-probability of each choice. */
  loglikelihoods?: ContinuationScore[];
}
