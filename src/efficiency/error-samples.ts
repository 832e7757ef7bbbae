import type { ErrorCategory } from '../core/types.js';

/** One kind of failure seen in a run: its first message, and how many failures had a message of the same shape. */
export interface ErrorSample {
  category: ErrorCategory;
  /** The first message of this shape, as the request failed with it (the server's reason included). */
  message: string;
  count: number;
}

/** Distinct message shapes kept per category; failures of further shapes are counted by category only. */
export const ERROR_SAMPLES_PER_CATEGORY = 5;
/** Messages longer than this keep their start and end (the reason is usually in one or the other). */
const MAX_MESSAGE_CHARS = 400;

/** A message's shape: numbers (token counts, ports, ids) do not make two messages different. */
function shapeOf(message: string): string {
  return message.replace(/\d+(\.\d+)?/g, '#');
}

/** A long message cut in the middle, keeping its start and its end. */
export function shortened(message: string): string {
  if (message.length <= MAX_MESSAGE_CHARS) return message;
  const half = Math.floor((MAX_MESSAGE_CHARS - 5) / 2);
  return `${message.slice(0, half)} […] ${message.slice(message.length - half)}`;
}

/** Adds `count` failures of `category` with `message` to `samples` (in place). */
export function addErrorSample(samples: ErrorSample[], category: ErrorCategory, message: string, count = 1): void {
  const kept = shortened(message);
  const shape = shapeOf(kept);
  let inCategory = 0;
  for (const sample of samples) {
    if (sample.category !== category) continue;
    if (shapeOf(sample.message) === shape) {
      sample.count += count;
      return;
    }
    inCategory += 1;
  }
  if (inCategory < ERROR_SAMPLES_PER_CATEGORY) samples.push({ category, message: kept, count });
}

/** Adds another recorder's samples (a worker thread's, another step's) to `samples`. */
export function mergeErrorSamples(samples: ErrorSample[], other: readonly ErrorSample[]): void {
  for (const sample of other) addErrorSample(samples, sample.category, sample.message, sample.count);
}
