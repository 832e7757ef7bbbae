import { monotonicNs, NS_PER_MS } from '../core/clock.js';
import type { ChatMessage, Exchange } from '../core/types.js';
import type { MetricsRecorder } from '../efficiency/recorder.js';
import { openingMessages, turnRequest } from './inputs/conversation-request.js';
import type { Conversation } from './inputs/input-source.js';
import { waitUntil } from './wait.js';

/** What a session needs from the shard that runs it. */
export interface SessionContext {
  signal: AbortSignal;
  recorder: MetricsRecorder;
  thinkTimeMs: number;
  fixedOutputLength: boolean;
  count: (text: string) => number;
  /** A fresh request index for each turn sent. */
  nextRequestIndex: () => number;
  /** False once the step's sending time is over: no further turn starts. */
  timeLeft: () => boolean;
  /** Sends one request, counting it in the shard's progress. */
  send: (request: ReturnType<typeof turnRequest>, intendedAt: number | null) => Promise<Exchange>;
}

/**
 * Runs one conversation turn by turn: each turn sends the history so far with the model's real answers, then waits
 * the think time. In an open loop the first turn is due at the session's arrival and each later one at its previous
 * answer's end plus the think time, so a late timer shows as schedule lag. A failed turn ends the session (`broken`:
 * the next turn would need its answer); the step's end or an abort before the last turn ends it as `cut`.
 */
export async function runSession(
  conversation: Conversation,
  arrivedAt: number | null,
  context: SessionContext,
): Promise<void> {
  const history: ChatMessage[] = openingMessages(conversation);
  let dueAt = arrivedAt;
  for (const [turn, { user, maxTokens }] of conversation.turns.entries()) {
    if (turn > 0 && (context.signal.aborted || !context.timeLeft())) {
      context.recorder.recordSession('cut');
      return;
    }
    history.push({ role: 'user', content: user });
    const extraBody =
      context.fixedOutputLength && maxTokens !== null ? { ignore_eos: true, min_tokens: maxTokens } : null;
    const request = turnRequest(context.nextRequestIndex(), history, maxTokens, context.count, extraBody);
    const exchange = await context.send(request, dueAt);
    context.recorder.recordTurn(turn, exchange);
    if (exchange.status !== 'ok') {
      context.recorder.recordSession(exchange.status === 'cancelled' ? 'cut' : 'broken');
      return;
    }
    history.push({ role: 'assistant', content: exchange.output });
    if (turn === conversation.turns.length - 1) break;
    const nextAt = monotonicNs() + context.thinkTimeMs * NS_PER_MS;
    if (context.thinkTimeMs > 0) await waitUntil(nextAt, context.signal);
    if (dueAt !== null) dueAt = nextAt;
  }
  context.recorder.recordSession('completed');
}
