import { messageOf } from '../core/errors.js';
import type { Exchange } from '../core/types.js';
import type { ExchangeLabels } from '../prometheus/exchange-metrics.js';
import { RunLifecycle } from '../store/run-lifecycle.js';
import type { RunStatus } from '../store/run-record.js';
import type { Store } from '../store/store.js';
import type { ProxyJson } from './proxy-summary.js';
import type { Redactor } from './redaction.js';
import { Sampler } from './sampler.js';

export interface SessionOptions {
  store: Store;
  upstream: URL;
  /** The proxy's own address. */
  listen: string;
  slos: readonly string[];
  /** The run's config as stored (no secrets: the proxy never sees the upstream's keys but in headers it does not keep). */
  config: unknown;
  sampling: { share: number; budgetBytes: number; redactor: Redactor; seed: number } | null;
  /** How often samples and counts are written, in milliseconds. */
  flushIntervalMs: number;
  /** A failure to write; the traffic is not affected. */
  onError: (message: string) => void;
}

/**
 * A proxy session as a stored run (kind `proxy`): requests counted by outcome, a share of them sampled into the run's
 * cases, both written every `flushIntervalMs` and when the session ends. A store that fails never stops the traffic:
 * the failure is reported and the session goes on.
 */
export class ProxySession {
  private readonly run: RunLifecycle<'proxy', ProxyJson>;
  private readonly sampler: Sampler | null;
  private readonly requests: Record<string, number> = {};
  private unmeasured = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly options: SessionOptions) {
    this.run = RunLifecycle.start<'proxy', ProxyJson>(options.store, {
      kind: 'proxy',
      config: options.config,
      target: {
        kind: 'upstream',
        name: options.upstream.host,
        url: options.upstream.href,
        model: null,
        streaming: true,
      },
    });
    this.sampler =
      options.sampling === null
        ? null
        : new Sampler({ store: options.store, runId: this.run.id, ...options.sampling, onError: options.onError });
    this.timer = setInterval(() => this.flush(), options.flushIntervalMs);
    this.timer.unref();
  }

  get runId(): string {
    return this.run.id;
  }

  /** A measured exchange ended. */
  measured(exchange: Exchange, labels: ExchangeLabels, requestBody: Buffer): void {
    const outcome = exchange.status === 'ok' ? 'ok' : (exchange.error?.category ?? exchange.status);
    this.requests[outcome] = (this.requests[outcome] ?? 0) + 1;
    this.sampler?.offer(exchange, labels, requestBody);
  }

  /** A request passed through without measuring. */
  passedThrough(): void {
    this.unmeasured += 1;
  }

  summary(): ProxyJson {
    return {
      schemaVersion: 1,
      kind: 'proxy',
      runId: this.run.id,
      upstream: this.options.upstream.href,
      listen: this.options.listen,
      slos: [...this.options.slos],
      requests: { ...this.requests },
      unmeasured: this.unmeasured,
      sampling: this.sampler === null ? null : { ...this.sampler.summary },
    };
  }

  /** Writes the samples taken and the counts so far. */
  flush(): void {
    this.sampler?.flush();
    try {
      this.run.update(this.summary());
    } catch (error) {
      this.options.onError(`cannot record the proxy run: ${messageOf(error)}`);
    }
  }

  /** Ends the session: the last samples and the final counts are written. */
  close(status: RunStatus = 'completed'): void {
    clearInterval(this.timer);
    this.sampler?.flush();
    try {
      this.run.finish(status, this.summary());
    } catch (error) {
      this.options.onError(`cannot record the end of the proxy run: ${messageOf(error)}`);
    }
  }
}
