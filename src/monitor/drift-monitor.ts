import { messageOf } from '../core/errors.js';
import { seededRandom } from '../core/random.js';
import type { DriftWindow } from './drift-window.js';
import type { WindowComparer } from './window-comparer.js';
import type { WindowSpec } from './window-spec.js';

export interface DriftMonitorOptions {
  /** Compares a closed window with the reference (on a worker thread in the proxy). */
  comparer: WindowComparer;
  window: WindowSpec;
  /** Rows a window keeps at most: past it, a uniform sample of the window's rows (reservoir sampling). */
  maxRows: number;
  seed: number;
  /** Each window once compared, in the order the windows closed. */
  onWindow: (window: DriftWindow) => void;
  /** A window that could not be compared; the monitor goes on with the next. */
  onError: (message: string) => void;
}

/**
 * Cuts live rows into windows (by time or by count) and has each closed window compared with the reference: the drift
 * time series of a proxy session. A time window closes at the first `tick` past its end; rows are held until then,
 * at most `maxRows` of them (a uniform sample of the window beyond that). Comparisons run while rows go on arriving;
 * their results are reported in the order the windows closed.
 */
export class DriftMonitor {
  private rows: Readonly<Record<string, unknown>>[] = [];
  private seen = 0;
  private index = 0;
  private startMs: number;
  private readonly random: () => number;
  /** The comparisons not yet reported, in order. */
  private pending: Promise<void> = Promise.resolve();

  constructor(
    private readonly options: DriftMonitorOptions,
    nowMs: number = Date.now(),
  ) {
    this.startMs = nowMs;
    this.random = seededRandom(options.seed);
  }

  /** Adds one live row to the open window (closing a count window once it is full). */
  add(row: Readonly<Record<string, unknown>>, nowMs: number = Date.now()): void {
    this.tick(nowMs);
    this.seen += 1;
    if (this.rows.length < this.options.maxRows) this.rows.push(row);
    else {
      const slot = Math.floor(this.random() * this.seen);
      if (slot < this.options.maxRows) this.rows[slot] = row;
    }
    if (this.options.window.kind === 'count' && this.seen >= this.options.window.rows) this.closeWindow(nowMs);
  }

  /**
   * Closes the open time window when its end has passed (recording it when it has rows); the next opens at the end of
   * the last window that passed, so windows stay aligned to the session's start.
   */
  tick(nowMs: number = Date.now()): void {
    const spec = this.options.window;
    if (spec.kind !== 'time' || nowMs < this.startMs + spec.ms) return;
    const end = this.startMs + spec.ms;
    // A window without rows is not recorded: a quiet hour leaves no point in the series.
    if (this.seen > 0) this.closeWindow(end);
    this.startMs = end + Math.floor((nowMs - end) / spec.ms) * spec.ms;
  }

  /** Closes the open window at the end of the session (when it holds any row) and waits for every comparison. */
  async close(nowMs: number = Date.now()): Promise<void> {
    this.tick(nowMs);
    if (this.seen > 0) this.closeWindow(nowMs);
    await this.idle();
  }

  /** Resolves once every closed window has been compared and reported. */
  idle(): Promise<void> {
    return this.pending;
  }

  private closeWindow(endMs: number): void {
    const rows = this.rows;
    const seen = this.seen;
    const input = { index: this.index, start: new Date(this.startMs), end: new Date(endMs), rows, seenRows: seen };
    this.rows = [];
    this.seen = 0;
    this.index += 1;
    this.startMs = endMs;
    const compared = this.options.comparer.compare(input);
    this.pending = this.pending.then(() =>
      compared.then(
        (window) => this.options.onWindow(window),
        (error: unknown) =>
          this.options.onError(`cannot compare window ${input.index} with the reference: ${messageOf(error)}`),
      ),
    );
  }
}
