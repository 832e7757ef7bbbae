/**
 * How a choice question is scored: the log-probability of each choice (`loglikelihood`), asking for the choice's
 * label (`choice`), or free text with the answer extracted (`generate`). Benchmarks offer the modes; a run keeps
 * the one it ran in so `--resume` repeats it.
 */
export type ScoringMode = 'loglikelihood' | 'choice' | 'generate';
export const SCORING_MODES: readonly ScoringMode[] = ['loglikelihood', 'choice', 'generate'];
