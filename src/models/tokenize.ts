// Words for the text features: lower-cased runs of letters, digits and the marks that carry signal in mail
// ($, !, apostrophes inside words). A regular expression rather than wink-tokenizer: over the 6,046 messages of the
// SpamAssassin corpus it takes 0.3 s against wink's 3.3 s, and the typed tokens wink adds are not used.
const WORD = /[\p{L}\p{N}$€£!]+(?:'[\p{L}]+)?/gu;

/** The words of a text, lower-cased, in order; at most `maxChars` characters are read. */
export function wordTokens(text: string, maxChars = 20_000): string[] {
  return (text.length > maxChars ? text.slice(0, maxChars) : text).toLowerCase().match(WORD) ?? [];
}
