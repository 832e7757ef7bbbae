import type { CaseResult, ChoicePrediction } from '../eval/case-result.js';
import type { ScoringMode } from './benchmark-cases.js';

/** How often two scoring modes gave the same answer on one task's cases. */
export interface ModeAgreement {
  task: string;
  otherMode: ScoringMode;
  otherRunId: string;
  /** Cases both runs answered (first repeat). */
  n: number;
  agree: number;
  rate: number | null;
}

/** The answer a prediction stands for: the chosen index, or the similarity rounded to a scale point; null when none. */
function answerOf(p: ChoicePrediction): number | null {
  if (p.value !== null) return Math.round(p.value);
  return p.predicted;
}

/** Per task, the share of cases answered in both runs where both modes chose the same answer (an unparseable answer agrees with nothing). */
export function modeAgreement(
  results: readonly CaseResult[],
  other: readonly CaseResult[],
  otherMode: ScoringMode,
  otherRunId: string,
): ModeAgreement[] {
  const theirs = new Map<string, ChoicePrediction>();
  for (const r of other)
    if (r.repeat === 0 && r.status === 'ok' && r.prediction !== undefined) theirs.set(r.caseId, r.prediction);
  const byTask = new Map<string, { n: number; agree: number }>();
  for (const r of results) {
    if (r.repeat !== 0 || r.status !== 'ok' || r.prediction === undefined) continue;
    const mine = r.prediction;
    const counterpart = theirs.get(r.caseId);
    if (counterpart === undefined) continue;
    const entry = byTask.get(mine.task) ?? { n: 0, agree: 0 };
    entry.n += 1;
    const a = answerOf(mine);
    if (a !== null && a === answerOf(counterpart)) entry.agree += 1;
    byTask.set(mine.task, entry);
  }
  return [...byTask.entries()].map(([task, { n, agree }]) => ({
    task,
    otherMode,
    otherRunId,
    n,
    agree,
    rate: n === 0 ? null : agree / n,
  }));
}
