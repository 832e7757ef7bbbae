import { formatMs, formatRate } from '../core/units.js';
import type { LiveProgress } from '../load/engine.js';

/** One status line for a terminal: step, elapsed, sent/completed/errors, in flight, and latency so far. */
export function progressLine(progress: LiveProgress): string {
  const c = progress.recorder.counts;
  const e2e = progress.recorder.histogram('e2e').statsMs();
  const ttft = progress.recorder.histogram('ttft').statsMs();
  const rate = progress.elapsedS > 0 ? progress.sent / progress.elapsedS : 0;
  const latency = e2e === null ? '' : ` | e2e p50 ${formatMs(e2e.p50)} p95 ${formatMs(e2e.p95)}`;
  const first = ttft === null ? '' : ` | ttft p50 ${formatMs(ttft.p50)} p95 ${formatMs(ttft.p95)}`;
  return `[${progress.step}] ${progress.elapsedS.toFixed(1)}s sent ${progress.sent} (${formatRate(rate)}/s) done ${c.completed} err ${c.errored} in flight ${progress.inFlight}${latency}${first}`;
}

/** Redraws a single progress line on a TTY stream; does nothing elsewhere. */
export class ProgressLine {
  private shown = false;

  constructor(private readonly stream: NodeJS.WriteStream) {}

  get enabled(): boolean {
    return this.stream.isTTY;
  }

  update(text: string): void {
    if (!this.enabled) return;
    const width = this.stream.columns > 0 ? this.stream.columns - 1 : 120;
    this.stream.write(`\r\x1b[2K${text.slice(0, width)}`);
    this.shown = true;
  }

  clear(): void {
    if (this.shown) this.stream.write('\r\x1b[2K');
    this.shown = false;
  }
}
