import { isJsonObject } from '../core/json-object.js';
import type { ProxySample } from './proxy-sample.js';

/** The text of a message's content: a string, or the text parts of an array of parts. */
function contentText(content: unknown): string | null {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return null;
  const texts = content.flatMap((part) => (isJsonObject(part) && typeof part.text === 'string' ? [part.text] : []));
  return texts.length === 0 ? null : texts.join('\n');
}

function lastMessage(messages: unknown, role: string): string | null {
  if (!Array.isArray(messages)) return null;
  for (let i = messages.length - 1; i >= 0; i -= 1) {
    const message: unknown = messages[i];
    if (isJsonObject(message) && message.role === role) return contentText(message.content);
  }
  return null;
}

/**
 * A sampled exchange as a row of columns for drift and data-quality checks (docs/operations.md): every top-level
 * string, number or boolean field of the request under its own name (`model`, `max_tokens`, `temperature`, a
 * classifier's features…), then `prompt` (the last user message, or a completions prompt), `system` (the system
 * message), `output`, `input_tokens`, `output_tokens` and `finish_reason`. Texts are the redacted ones the sample holds.
 */
export function sampleRow(sample: ProxySample): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  const request = sample.request;
  if (isJsonObject(request))
    for (const [key, value] of Object.entries(request))
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') row[key] = value;
  const prompt = isJsonObject(request)
    ? (lastMessage(request.messages, 'user') ??
      (typeof request.prompt === 'string'
        ? request.prompt
        : Array.isArray(request.prompt) && typeof request.prompt[0] === 'string'
          ? request.prompt[0]
          : null))
    : typeof request === 'string'
      ? request
      : null;
  row.prompt = prompt;
  row.system = isJsonObject(request) ? lastMessage(request.messages, 'system') : null;
  row.output = sample.outcome === 'ok' ? sample.output : null;
  row.input_tokens = sample.tokensIn;
  row.output_tokens = sample.tokensOut;
  row.finish_reason = sample.finishReason;
  return row;
}
