import type { TargetRequest } from '../../core/types.js';

/** Supplies the request for each position of a run; cycles through its prompts deterministically. */
export interface InputSource {
  /** Distinct prompts available. */
  readonly size: number;
  requestAt(index: number): TargetRequest;
}
