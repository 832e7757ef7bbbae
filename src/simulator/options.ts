/** Faults the simulator injects, each as a probability per request. */
export interface FaultRates {
  http500: number;
  http429: number;
  /** Drop the connection halfway through the response. */
  reset: number;
  /** Send the first chunk, then nothing more. */
  stall: number;
  /** Send an event whose data is not JSON. */
  malformed: number;
  /** Send an `error` event mid-stream, as vLLM does when generation fails. */
  streamError: number;
}

export type UsageMode = 'final' | 'continuous' | 'none';

/** How the simulator answers: a known, exact timing schedule and optional faults. */
export interface SimulatorOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Delay from request to the first token. */
  ttftMs: number;
  /** Delay between consecutive tokens. */
  itlMs: number;
  /** Tokens sent together in one chunk. */
  tokensPerChunk: number;
  /** Output length when the request does not set max_tokens. */
  defaultOutputTokens: number;
  usage: UsageMode;
  /**
   * Requests served at once, like a server's slots: more wait in arrival order and their schedule starts when a slot
   * frees, so the capacity is exactly `slots` / (one request's latency). 0 serves every request at once.
   */
  slots: number;
  faults: FaultRates;
  seed: number;
}

export const NO_FAULTS: FaultRates = { http500: 0, http429: 0, reset: 0, stall: 0, malformed: 0, streamError: 0 };

export const DEFAULT_SIMULATOR_OPTIONS: SimulatorOptions = {
  host: '127.0.0.1',
  port: 0,
  ttftMs: 50,
  itlMs: 10,
  tokensPerChunk: 1,
  defaultOutputTokens: 16,
  usage: 'final',
  slots: 0,
  faults: NO_FAULTS,
  seed: 1,
};

export type Fault = keyof FaultRates | null;

/** Picks the fault (or none) for one request from a uniform draw in [0, 1). */
export function pickFault(rates: FaultRates, draw: number): Fault {
  let edge = 0;
  for (const [fault, rate] of Object.entries(rates) as [keyof FaultRates, number][]) {
    edge += rate;
    if (draw < edge) return fault;
  }
  return null;
}
