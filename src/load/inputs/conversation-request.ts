import type { ChatMessage, TargetRequest } from '../../core/types.js';
import type { Conversation, InputSource } from './input-source.js';

/**
 * One turn of a conversation as a request: the history so far (system prompt, earlier turns with the model's real
 * answers) and the new user turn as chat messages; for completion endpoints, the same messages as one text, one per
 * line. A one-off request (promptId −1): its body is never reused.
 */
export function turnRequest(
  index: number,
  messages: readonly ChatMessage[],
  maxTokens: number | null,
  count: (text: string) => number,
  extraBody: Record<string, unknown> | null = null,
): TargetRequest {
  const prompt = messages.map((m) => m.content).join('\n');
  return { index, promptId: -1, prompt, messages: [...messages], maxTokens, clientTokensIn: count(prompt), extraBody };
}

/** The messages a conversation starts with: its system prompt, if any. */
export function openingMessages(conversation: Conversation): ChatMessage[] {
  return conversation.system === null ? [] : [{ role: 'system', content: conversation.system }];
}

/**
 * Conversations as an input source: each position is one conversation (cycled); a single request is its first turn,
 * and with `whole`, the shard sends every turn as a session.
 */
export function conversationSource(
  conversations: readonly Conversation[],
  whole: boolean,
  count: (text: string) => number,
): InputSource {
  const at = (index: number): Conversation => {
    const conversation = conversations[index % conversations.length];
    if (conversation === undefined) throw new Error('a conversation source needs at least one conversation');
    return conversation;
  };
  const first = conversations.map((c) => {
    const opening = [...openingMessages(c), { role: 'user' as const, content: c.turns[0]?.user ?? '' }];
    return turnRequest(0, opening, c.turns[0]?.maxTokens ?? null, count);
  });
  return {
    size: conversations.length,
    requestAt(index) {
      const slot = index % conversations.length;
      const request = first[slot];
      if (request === undefined) throw new Error('a conversation source needs at least one conversation');
      // Each distinct first turn is one prompt: a target may reuse its encoded body.
      return { ...request, index, promptId: slot };
    },
    ...(whole ? { conversationAt: at } : {}),
  };
}
