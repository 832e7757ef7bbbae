import { messageOf, usageError } from '../core/errors.js';
import type { Exchange } from '../core/types.js';
import type { Slo } from '../efficiency/slo.js';
import { ExchangeMetrics, type ExchangeLabels } from '../prometheus/exchange-metrics.js';
import { ThreadHeapMetrics } from '../prometheus/thread-heap-metrics.js';
import { readHeap, type HeapReading } from '../resources/heap-reading.js';
import type { ClientTokenizer } from '../tokens/client-tokenizer.js';
import type { MeasuredEndpoint } from './inference-call.js';
import type { LocalAnswer } from './relay.js';
import { RelayListenError, startRelayThread, type RelayThread } from './relay-thread.js';
import { createTrafficRing, RingReader } from './traffic-ring.js';
import { TrafficMeasure } from './traffic-measure.js';

export interface ProxyOptions {
  /** Where requests go: an origin, optionally with a path that prefixes every request's. */
  upstream: URL;
  host: string;
  /** 0 picks a free port. */
  port: number;
  slos: readonly Slo[];
  /** The path that answers with yardstick's metrics instead of being forwarded. */
  metricsPath: string;
  /** Keep-alive connections to the upstream at most. */
  maxConnections: number;
  /** A request still running after this long is cut (504 before its head, a cut connection after). */
  timeoutMs: number;
  /** JSON APIs measured besides the OpenAI endpoints (`--measure PATH=OUTPUT_PATH`). */
  measured?: readonly MeasuredEndpoint[];
  /** Counts output tokens when the upstream reports no usage. */
  tokenizer: ClientTokenizer;
  /**
   * Each measured exchange as it ends, with the request's labels and body (empty unless `keepRequestBodies`), and
   * whether it met every SLO.
   */
  onExchange?: (exchange: Exchange, labels: ExchangeLabels, requestBody: Buffer, good: boolean) => void;
  /** Whether `onExchange` wants the request bodies (sampling does). */
  keepRequestBodies?: boolean;
  /** Each request passed through without measuring. */
  onPassThrough?: () => void;
  /** A failure on yardstick's own side; the traffic passed through regardless. */
  onOwnError?: (message: string) => void;
}

export interface RunningProxy {
  /** `http://host:port`, the address clients use instead of the upstream's. */
  url: string;
  metrics: ExchangeMetrics;
  /** Stops taking requests, lets those in flight end, then closes the upstream connections. */
  close(): Promise<void>;
}

/**
 * Traffic copies held for measuring at most, 16 MiB: about 5 s of traffic at 1,000 requests/s of a few kilobytes each.
 * Beyond them requests pass through unmeasured.
 */
const RING_BYTES = 16 * 1024 * 1024;

/**
 * After the measuring side has read what there was, it waits this long before reading again: fewer, larger reads cost
 * less CPU, and the times it measures with were taken by the forwarding side as the bytes arrived. Scrapes read first.
 */
const READ_PAUSE_MS = 20;

/**
 * How much less urgent the measuring thread is than the forwarding thread (nice values; Linux, see
 * core/thread-priority.ts). Where the two want the same core, forwarding gets it first, and a byte waits less; the
 * measuring thread needs far less CPU, and falling behind costs it measurements (counted), never a request.
 */
export const MEASURING_THREAD_NICE_STEPS = 5;

/**
 * A reverse proxy in front of an OpenAI-compatible server: every request passes through unchanged, responses stream
 * back piece by piece, and chat and completions calls are measured on the way (docs/operations.md). Forwarding runs
 * on a thread of its own (relay.ts, relay-thread.ts), which copies the traffic into shared memory; this thread reads
 * the copies and measures them (traffic-measure.ts), so measuring never holds up a byte. Answers `metricsPath` itself
 * with its Prometheus metrics.
 */
export async function startProxy(options: ProxyOptions): Promise<RunningProxy> {
  const metrics = new ExchangeMetrics(options.slos);
  const ownError = (stage: string, message: string): void => {
    metrics.ownError(stage);
    options.onOwnError?.(`${stage}: ${message}`);
  };
  const measure = new TrafficMeasure(metrics, options.tokenizer, options.measured ?? [], {
    onExchange: options.onExchange,
    keepRequestBodies: options.keepRequestBodies,
    onPassThrough: options.onPassThrough,
    onOwnError: ownError,
  });
  const ring = createTrafficRing(RING_BYTES);
  const reader = new RingReader(ring);
  let reading = true;
  const drain = (): number => reader.drain((record) => measure.take(record));
  const threadHeaps = new ThreadHeapMetrics(metrics.registry);
  const answerMetrics = async (forwardingHeap: HeapReading): Promise<LocalAnswer> => {
    // Every request that ended before the scrape was asked for is counted in it.
    drain();
    threadHeaps.set('forwarding', forwardingHeap);
    threadHeaps.set('measuring', readHeap());
    try {
      const text = await metrics.text();
      return { status: 200, headers: [['content-type', metrics.contentType]], body: text };
    } catch (error) {
      ownError('metrics', messageOf(error));
      throw error;
    }
  };

  let relay: RelayThread;
  try {
    relay = await startRelayThread(
      {
        upstream: options.upstream.href,
        host: options.host,
        port: options.port,
        metricsPath: options.metricsPath,
        maxConnections: options.maxConnections,
        timeoutMs: options.timeoutMs,
        ring,
      },
      answerMetrics,
    );
  } catch (error) {
    throw listenError(options, error);
  }

  const readLoop = async (): Promise<void> => {
    while (reading) {
      if (drain() > 0) await new Promise((resolve) => setTimeout(resolve, READ_PAUSE_MS));
      else await reader.whenWritten();
    }
  };
  const loop = readLoop();

  const address = relay.address;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    metrics,
    close: async () => {
      await relay.close();
      reading = false;
      reader.wake();
      await loop;
      drain();
    },
  };
}

/** Why the proxy cannot listen where it was asked to, as a usage error (exit 2). */
function listenError(options: ProxyOptions, error: unknown): Error {
  const code = error instanceof RelayListenError ? error.code : undefined;
  return code === 'EADDRINUSE'
    ? usageError(
        'PORT_IN_USE',
        `port ${options.port} on ${options.host} is already in use by another process`,
        `choose another with --listen, or port 0 for a free one (see what listens: ss -ltnp 'sport = :${options.port}')`,
      )
    : usageError(
        'LISTEN_FAILED',
        `cannot listen on ${options.host}:${options.port}: ${messageOf(error)}`,
        code === 'EACCES'
          ? 'ports below 1024 need privileges; choose a port above 1024'
          : 'check the host and port of --listen',
      );
}
