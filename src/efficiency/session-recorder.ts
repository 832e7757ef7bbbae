import { requestTimingsNs } from './request-metrics.js';
import type { Exchange, LatencyStats } from '../core/types.js';
import { LatencyHistogram, type LatencyHistogramState } from './latency-histogram.js';

/** How a multi-turn session ended: every turn answered, a turn failed, or the run stopped before its last turn. */
export type SessionOutcome = 'completed' | 'broken' | 'cut';

/** One turn index's measured requests: their count, input tokens, ttft and e2e. Plain data, mergeable. */
export interface TurnState {
  completed: number;
  inputTokens: number;
  ttft: LatencyHistogramState;
  e2e: LatencyHistogramState;
}

export interface SessionState {
  outcomes: Record<SessionOutcome, number>;
  turns: TurnState[];
}

/** The sessions of a run: how they ended, and each turn index's latency (ttft grows with the history it carries). */
export interface SessionsSummary {
  started: number;
  completed: number;
  broken: number;
  cut: number;
  byTurn: {
    turn: number;
    completed: number;
    meanInputTokens: number | null;
    ttftMs: LatencyStats | null;
    e2eMs: LatencyStats | null;
  }[];
}

class TurnStats {
  completed = 0;
  inputTokens = 0;
  readonly ttft = new LatencyHistogram();
  readonly e2e = new LatencyHistogram();
}

/** Counts sessions by outcome and keeps each turn index's latencies; merges like the recorder it belongs to. */
export class SessionRecorder {
  private readonly outcomes: Record<SessionOutcome, number> = { completed: 0, broken: 0, cut: 0 };
  private readonly turns: TurnStats[] = [];

  private turn(index: number): TurnStats {
    while (this.turns.length <= index) this.turns.push(new TurnStats());
    const stats = this.turns[index];
    if (stats === undefined) throw new Error(`no statistics for turn ${index}`);
    return stats;
  }

  /** A completed, measured request that was turn `index` (from 0) of its session. */
  recordTurn(index: number, exchange: Exchange): void {
    const stats = this.turn(index);
    const timings = requestTimingsNs(exchange);
    stats.completed += 1;
    stats.inputTokens += exchange.tokensIn ?? 0;
    stats.e2e.recordNs(timings.e2e);
    if (timings.ttft !== null) stats.ttft.recordNs(timings.ttft);
  }

  recordSession(outcome: SessionOutcome): void {
    this.outcomes[outcome] += 1;
  }

  serialize(): SessionState {
    return {
      outcomes: { ...this.outcomes },
      turns: this.turns.map((t) => ({
        completed: t.completed,
        inputTokens: t.inputTokens,
        ttft: t.ttft.serialize(),
        e2e: t.e2e.serialize(),
      })),
    };
  }

  merge(state: SessionState): void {
    for (const outcome of ['completed', 'broken', 'cut'] as const) this.outcomes[outcome] += state.outcomes[outcome];
    state.turns.forEach((other, index) => {
      const stats = this.turn(index);
      stats.completed += other.completed;
      stats.inputTokens += other.inputTokens;
      stats.ttft.merge(other.ttft);
      stats.e2e.merge(other.e2e);
    });
  }

  summary(): SessionsSummary {
    const { completed, broken, cut } = this.outcomes;
    return {
      started: completed + broken + cut,
      completed,
      broken,
      cut,
      byTurn: this.turns.map((t, index) => ({
        turn: index + 1,
        completed: t.completed,
        meanInputTokens: t.completed === 0 ? null : t.inputTokens / t.completed,
        ttftMs: t.ttft.statsMs(),
        e2eMs: t.e2e.statsMs(),
      })),
    };
  }
}
