import type { ChatMessage } from '../../core/types.js';
import { usageError, type Problem } from '../../core/errors.js';
import { readRecords } from '../../data/read-records.js';
import type { ClientTokenizer } from '../../tokens/client-tokenizer.js';
import type { InputSource } from './input-source.js';

interface FilePrompt {
  prompt: string;
  messages: ChatMessage[] | null;
  maxTokens: number | null;
}

const ROLES = new Set(['system', 'user', 'assistant', 'tool']);

function readMessages(value: unknown): ChatMessage[] | null {
  if (!Array.isArray(value) || value.length === 0) return null;
  const messages: ChatMessage[] = [];
  for (const item of value) {
    if (typeof item !== 'object' || item === null) return null;
    const { role, content } = item as { role?: unknown; content?: unknown };
    if (typeof role !== 'string' || !ROLES.has(role) || typeof content !== 'string') return null;
    messages.push({ role: role as ChatMessage['role'], content });
  }
  return messages;
}

/** Reads and checks the prompts of a JSONL/CSV/TSV file, reporting every unusable row at once (exit 2). */
export function readFilePrompts(path: string, defaultMaxTokens: number | null): FilePrompt[] {
  const problems: Problem[] = [];
  const prompts: FilePrompt[] = [];
  for (const { line, fields } of readRecords(path)) {
    const where = `${path}:${line}`;
    const messages =
      fields.messages === undefined
        ? null
        : readMessages(typeof fields.messages === 'string' ? safeJson(fields.messages) : fields.messages);
    if (fields.messages !== undefined && messages === null) {
      problems.push({
        where,
        field: 'messages',
        message: 'must be a non-empty array of {role, content}',
        hint: 'roles: system, user, assistant, tool',
      });
      continue;
    }
    const prompt = typeof fields.prompt === 'string' ? fields.prompt : null;
    if (messages === null && (prompt === null || prompt === '')) {
      problems.push({ where, field: 'prompt', message: "missing: each row needs a non-empty 'prompt' or 'messages'" });
      continue;
    }
    const rawMax = fields.max_tokens;
    const maxTokens = rawMax === undefined || rawMax === '' ? defaultMaxTokens : Number(rawMax);
    if (maxTokens !== null && (!Number.isInteger(maxTokens) || maxTokens <= 0)) {
      problems.push({ where, field: 'max_tokens', message: `'${String(rawMax)}' is not a positive integer` });
      continue;
    }
    prompts.push({ prompt: prompt ?? (messages ?? []).map((m) => m.content).join('\n'), messages, maxTokens });
  }
  if (problems.length > 0) {
    throw usageError(
      'INPUT_INVALID',
      `${path} has ${problems.length} unusable row${problems.length === 1 ? '' : 's'}`,
      'fix the rows listed above',
      problems.slice(0, 20),
    );
  }
  return prompts;
}

/** Prompts from a JSONL/CSV/TSV file with a `prompt` or `messages` field and an optional `max_tokens`. */
export function fileSource(path: string, defaultMaxTokens: number | null, tokenizer: ClientTokenizer): InputSource {
  const prompts = readFilePrompts(path, defaultMaxTokens);
  const tokens = prompts.map((p) => tokenizer.count(p.prompt));
  return {
    size: prompts.length,
    requestAt(index) {
      const slot = index % prompts.length;
      const p = prompts[slot] as FilePrompt;
      return {
        index,
        promptId: slot,
        prompt: p.prompt,
        messages: p.messages,
        maxTokens: p.maxTokens,
        clientTokensIn: tokens[slot] ?? null,
        extraBody: null,
      };
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
