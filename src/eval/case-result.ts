import type { ErrorCategory } from '../core/types.js';

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
}
