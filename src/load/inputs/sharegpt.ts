import type { Conversation } from './input-source.js';

/** Who speaks a ShareGPT turn (`from`), or an OpenAI-style message (`role`). */
const USER_ROLES = new Set(['human', 'user']);
const ASSISTANT_ROLES = new Set(['gpt', 'assistant', 'chatgpt', 'bard', 'model', 'bing']);

/** A conversation's turns as they were: its system prompt, and each user turn with the answer it got (if any). */
export interface RecordedConversation {
  system: string | null;
  turns: { user: string; answer: string | null }[];
}

function turnOf(value: unknown): { role: string; text: string } | null {
  if (typeof value !== 'object' || value === null) return null;
  const fields = new Map<string, unknown>(Object.entries(value));
  const role = fields.get('from') ?? fields.get('role');
  const text = fields.get('value') ?? fields.get('content');
  if (typeof role !== 'string' || typeof text !== 'string') return null;
  return { role: role.toLowerCase(), text };
}

/** The field of a ShareGPT record that holds its turns. */
export const SHAREGPT_FIELDS = ['conversations', 'conversation', 'messages'] as const;

/**
 * A ShareGPT record's conversation: `conversations` (or `conversation`, `messages`) as a list of `{from, value}` (or
 * `{role, content}`) turns. Leading answers are dropped, a system turn before the first user turn becomes the system
 * prompt, consecutive user turns are joined; null when no user turn with text is left.
 */
export function shareGptConversation(fields: Record<string, unknown>): RecordedConversation | null {
  const list = SHAREGPT_FIELDS.map((name) => fields[name]).find(Array.isArray);
  if (list === undefined) return null;
  let system: string | null = null;
  const turns: { user: string; answer: string | null }[] = [];
  for (const item of list) {
    const turn = turnOf(item);
    if (turn === null) return null;
    if (turn.role === 'system' && turns.length === 0) system = turn.text;
    else if (USER_ROLES.has(turn.role)) {
      const last = turns.at(-1);
      if (last !== undefined && last.answer === null) last.user = `${last.user}\n${turn.text}`;
      else turns.push({ user: turn.text, answer: null });
    } else if (ASSISTANT_ROLES.has(turn.role)) {
      const last = turns.at(-1);
      if (last !== undefined && last.answer === null) last.answer = turn.text;
    }
  }
  const usable = turns.filter((t) => t.user.trim() !== '');
  return usable.length === 0 ? null : { system, turns: usable };
}

/**
 * A recorded conversation as one to send: at most `maxTurns` turns, each asking for `maxTokens` when given, else for
 * as many tokens as its recorded answer had (counted by `count`), else for `fallbackMaxTokens`.
 */
export function conversationToSend(
  recorded: RecordedConversation,
  options: { maxTurns: number | null; maxTokens: number | null; fallbackMaxTokens: number },
  count: (text: string) => number,
): Conversation {
  const turns = options.maxTurns === null ? recorded.turns : recorded.turns.slice(0, options.maxTurns);
  return {
    system: recorded.system,
    turns: turns.map((t) => ({
      user: t.user,
      maxTokens:
        options.maxTokens ??
        (t.answer === null || t.answer === '' ? options.fallbackMaxTokens : Math.max(1, count(t.answer))),
    })),
  };
}
