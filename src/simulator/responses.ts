/** OpenAI-shaped payloads the simulator sends. */

export type Endpoint = 'chat' | 'completions';

/** Common words that are one token each in the usual BPE vocabularies, so client and server token counts agree. */
const ONE_TOKEN_WORDS =
  'the of and to in is that for it as with was on be at by this are from or have an they which one you were all we can her has there been if more when will would who so no'.split(
    ' ',
  );

/** The text of the token at this position of a simulated response. */
export function tokenText(index: number): string {
  return ` ${ONE_TOKEN_WORDS[index % ONE_TOKEN_WORDS.length] ?? 'the'}`;
}

export function streamChunk(
  endpoint: Endpoint,
  id: string,
  model: string,
  text: string,
  finish: string | null,
  usage: object | null,
): string {
  const choice =
    endpoint === 'chat'
      ? { index: 0, delta: text === '' ? {} : { content: text }, finish_reason: finish }
      : { index: 0, text, finish_reason: finish };
  const object = endpoint === 'chat' ? 'chat.completion.chunk' : 'text_completion';
  return `data: ${JSON.stringify({ id, object, model, choices: [choice], ...(usage === null ? {} : { usage }) })}\n\n`;
}

export function usageChunk(endpoint: Endpoint, id: string, model: string, usage: object): string {
  const object = endpoint === 'chat' ? 'chat.completion.chunk' : 'text_completion';
  return `data: ${JSON.stringify({ id, object, model, choices: [], usage })}\n\n`;
}

export function wholeResponse(
  endpoint: Endpoint,
  id: string,
  model: string,
  text: string,
  usage: object | null,
): string {
  const choice =
    endpoint === 'chat'
      ? { index: 0, message: { role: 'assistant', content: text }, finish_reason: 'length' }
      : { index: 0, text, finish_reason: 'length' };
  return JSON.stringify({
    id,
    object: endpoint === 'chat' ? 'chat.completion' : 'text_completion',
    model,
    choices: [choice],
    ...(usage === null ? {} : { usage }),
  });
}

export function usageOf(promptTokens: number, completionTokens: number): object {
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
  };
}
