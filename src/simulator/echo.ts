/**
 * Echoed prompt log-probabilities, the answer a completions server gives to `echo: true` with `logprobs` (the
 * request yardstick's loglikelihood mode sends, one prompt per continuation). The simulator's "model" scores each
 * token by a hash of its text, so answers are arbitrary but the same on every run; tokens are words with the
 * whitespace before them, and offsets count code points, as servers count them.
 */

function tokensOf(text: string): { token: string; offset: number }[] {
  const out: { token: string; offset: number }[] = [];
  for (const match of text.matchAll(/\s*\S+|\s+$/gu))
    out.push({ token: match[0], offset: [...text.slice(0, match.index)].length });
  return out;
}

/** A log-probability in (−6, −0.1] from the token's text (FNV-1a), the same on every run. */
export function simulatedLogprob(token: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < token.length; i += 1) hash = Math.imul(hash ^ token.charCodeAt(i), 0x01000193) >>> 0;
  return -0.1 - (hash % 5900) / 1000;
}

/** The completions body answering an echo request for `prompts`, with one generated token after each. */
export function echoResponse(model: string, prompts: readonly string[]): object {
  const generated = ' the';
  const choices = prompts.map((prompt, index) => {
    const tokens = tokensOf(prompt);
    const logprobs = tokens.map((t, i) => (i === 0 ? null : simulatedLogprob(t.token)));
    return {
      index,
      text: prompt + generated,
      logprobs: {
        tokens: [...tokens.map((t) => t.token), generated],
        token_logprobs: [...logprobs, simulatedLogprob(generated)],
        text_offset: [...tokens.map((t) => t.offset), [...prompt].length],
        top_logprobs: [
          ...tokens.map((t, i) => (i === 0 ? null : { [t.token]: logprobs[i] ?? 0 })),
          { [generated]: simulatedLogprob(generated) },
        ],
      },
      finish_reason: 'length',
    };
  });
  const promptTokens = prompts.reduce((sum, p) => sum + tokensOf(p).length, 0);
  return {
    id: 'sim-echo',
    object: 'text_completion',
    model,
    choices,
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: prompts.length,
      total_tokens: promptTokens + prompts.length,
    },
  };
}
