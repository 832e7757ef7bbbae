/** Token prices per million tokens, as a target config gives them. */
export interface Pricing {
  inputPerMTokens: number;
  outputPerMTokens: number;
}

/** Cost of one exchange; null without pricing or without token counts. */
export function costOf(pricing: Pricing | undefined, tokensIn: number | null, tokensOut: number | null): number | null {
  if (pricing === undefined || tokensIn === null || tokensOut === null) return null;
  return (tokensIn * pricing.inputPerMTokens + tokensOut * pricing.outputPerMTokens) / 1e6;
}
