import type { TargetRequest } from '../../core/types.js';

/** A multi-turn conversation to send turn by turn: its system prompt and its user turns in order. */
export interface Conversation {
  system: string | null;
  /** Each user turn, with the max_tokens its answer may take (null: the target's default). */
  turns: { user: string; maxTokens: number | null }[];
}

/** Supplies the request for each position of a run; cycles through its prompts deterministically. */
export interface InputSource {
  /** Distinct prompts (or conversations) available. */
  readonly size: number;
  requestAt(index: number): TargetRequest;
  /**
   * Multi-turn sources only: the conversation at a position, whose turns are sent one after another, each with the
   * history so far (the model's real answers included).
   */
  conversationAt?(index: number): Conversation;
}
