import { NS_PER_MS } from '../core/clock.js';
import { messageOf } from '../core/errors.js';
import { seededRandom } from '../core/random.js';
import type { Exchange } from '../core/types.js';
import { requestTimingsNs } from '../efficiency/request-metrics.js';
import type { ExchangeLabels } from '../prometheus/exchange-metrics.js';
import type { CaseRow } from '../store/run-record.js';
import type { Store } from '../store/store.js';
import type { WriteQueue } from '../store/write-queue.js';
import type { ProxySample } from './proxy-sample.js';
import type { SamplingSummary } from './proxy-summary.js';
import type { Redactor } from './redaction.js';

export interface SamplerOptions {
  store: Store;
  runId: string;
  /** The share of measured exchanges to keep, in (0, 1]. */
  share: number;
  budgetBytes: number;
  redactor: Redactor;
  seed: number;
  /** A write the store refused; the samples of that write are counted as failed. */
  onError: (message: string) => void;
}

function requestJson(body: Buffer, redactor: Redactor): unknown {
  try {
    return redactor.json(JSON.parse(body.toString('utf8')));
  } catch {
    return redactor.text(body.toString('utf8'));
  }
}

/**
 * Keeps a seeded share of the measured exchanges, redacted before anything is held, and writes them to the store in
 * one batch per `flush` (the proxy flushes every second): a crash loses at most the samples taken since the last
 * flush. Once the kept samples reach the byte budget, sampling stops.
 */
export class Sampler {
  private readonly random: () => number;
  private pending: CaseRow[] = [];
  private pendingBytes = 0;
  private seq = 0;
  readonly summary: SamplingSummary;

  constructor(private readonly options: SamplerOptions) {
    this.random = seededRandom(options.seed);
    this.summary = {
      share: options.share,
      kept: 0,
      overBudget: 0,
      failed: 0,
      bytes: 0,
      budgetBytes: options.budgetBytes,
    };
  }

  /**
   * Draws whether to keep this exchange, and holds it for the next flush when so; returns the sample drawn (also when
   * the budget is spent and it is not kept), null when this exchange was not drawn.
   */
  offer(exchange: Exchange, labels: ExchangeLabels, requestBody: Buffer): ProxySample | null {
    if (this.random() >= this.options.share) return null;
    const timings = requestTimingsNs(exchange);
    const sample: ProxySample = {
      at: new Date().toISOString(),
      model: labels.model,
      endpoint: labels.endpoint,
      outcome: exchange.status === 'ok' ? 'ok' : (exchange.error?.category ?? exchange.status),
      request: requestJson(requestBody, this.options.redactor),
      output: this.options.redactor.text(exchange.output),
      ttftMs: timings.ttft === null ? null : timings.ttft / NS_PER_MS,
      e2eMs: timings.e2e / NS_PER_MS,
      tokensIn: exchange.tokensIn,
      tokensOut: exchange.tokensOut,
      finishReason: exchange.finishReason ?? null,
    };
    const bytes = Buffer.byteLength(JSON.stringify(sample));
    if (this.summary.bytes + bytes > this.options.budgetBytes) {
      this.summary.overBudget += 1;
      return sample;
    }
    this.summary.bytes += bytes;
    this.summary.kept += 1;
    this.pendingBytes += bytes;
    this.pending.push({ caseId: String(this.seq++), repeat: 0, result: sample });
    return sample;
  }

  /** Queues the samples held since the last flush as one write (one transaction) after the writes before it. */
  flush(writes: WriteQueue): void {
    if (this.pending.length === 0) return;
    const rows = this.pending;
    const bytes = this.pendingBytes;
    this.pending = [];
    this.pendingBytes = 0;
    writes.push(
      () => this.options.store.saveCases(this.options.runId, rows),
      (error) => {
        this.summary.kept -= rows.length;
        this.summary.bytes -= bytes;
        this.summary.failed += rows.length;
        this.options.onError(`cannot keep ${rows.length} samples: ${messageOf(error)}`);
      },
    );
  }
}
