import { monotonicNs } from '../core/clock.js';
import { messageOf } from '../core/errors.js';
import type { Exchange, TargetDescription, TargetRequest } from '../core/types.js';
import type { SendContext, Target } from '../targets/target.js';
import { startExchange } from '../targets/exchange-builder.js';

export interface FunctionTargetOptions {
  /** The name runs and reports show. */
  name: string;
  /**
   * Answers one request with text. A thrown error is that request's failure, recorded with its message in the
   * `connection` category (the target could not answer), and the run goes on.
   */
  answer: (request: TargetRequest, signal: AbortSignal) => Promise<string> | string;
  /** What the target is, for the record (default `function://NAME`). */
  url?: string;
  model?: string | null;
}

/**
 * A target made of a function of your own (a model in this process, a client of a service yardstick does not
 * speak): each request's answer is timed from the call to its return; it does not stream, so it has no time to
 * first token, and token counts come from the client tokenizer where a run needs them.
 */
export function functionTarget(options: FunctionTargetOptions): Target {
  const description: TargetDescription = {
    kind: 'function',
    name: options.name,
    url: options.url ?? `function://${options.name}`,
    model: options.model ?? null,
    streaming: false,
  };
  return {
    kind: 'function',
    scoresContinuations: false,
    describe: () => description,
    checkReachable: () => Promise.resolve(),
    send: async (request: TargetRequest, context: SendContext): Promise<Exchange> => {
      const sentAt = monotonicNs();
      const base = startExchange(request, context.intendedAt, sentAt, false);
      try {
        const output = await options.answer(request, context.signal);
        return { ...base, endedAt: monotonicNs(), output, status: 'ok', error: null };
      } catch (error) {
        const cancelled = context.signal.aborted;
        return {
          ...base,
          endedAt: monotonicNs(),
          output: '',
          status: cancelled ? 'cancelled' : 'error',
          error: { category: cancelled ? 'cancelled' : 'connection', message: messageOf(error), httpStatus: null },
        };
      }
    },
    close: () => Promise.resolve(),
  };
}
