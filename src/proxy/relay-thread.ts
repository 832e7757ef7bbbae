import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { messageOf } from '../core/errors.js';
import { errorCodeOf } from '../http/dispatcher.js';
import type { HeapReading } from '../resources/heap-reading.js';
import { startRelay, type LocalAnswer, type RunningRelay } from './relay.js';
import { RingWriter } from './traffic-ring.js';
import { TrafficTap } from './traffic-tap.js';

/** What the forwarding thread starts with: the relay's settings and the ring it writes its records to. */
export interface RelayThreadData {
  upstream: string;
  host: string;
  port: number;
  metricsPath: string;
  maxConnections: number;
  timeoutMs: number;
  ring: SharedArrayBuffer;
}

/** From the forwarding thread: it listens, or cannot; it needs the metrics answered (with its heap); it has closed. */
export type RelayThreadMessage =
  | { type: 'listening'; address: AddressInfo }
  | { type: 'failed'; code: string | null; message: string }
  | { type: 'metrics'; requestId: number; heap: HeapReading }
  | { type: 'closed' };

/** To the forwarding thread: a metrics answer (or why there is none), or the order to close. */
export type RelayThreadReply =
  | { type: 'metrics'; requestId: number; answer: LocalAnswer; error: null }
  | { type: 'metrics'; requestId: number; answer: null; error: string }
  | { type: 'close' };

export interface RelayThread {
  address: AddressInfo;
  close(): Promise<void>;
}

const WORKER_ENTRY = new URL('./relay-worker.js', import.meta.url);

/** A listen failure from the forwarding thread, with the code of the error it met (EADDRINUSE, EACCES…). */
export class RelayListenError extends Error {
  constructor(
    readonly code: string | null,
    message: string,
  ) {
    super(message);
    this.name = 'RelayListenError';
  }
}

/**
 * The relay `data` describes, on the calling thread (the worker's, or this one), writing to the ring `data` holds;
 * rejects with a `RelayListenError` when it cannot listen.
 */
export function startRelayFrom(
  data: RelayThreadData,
  answerMetrics: (forwardingHeap: HeapReading) => Promise<LocalAnswer>,
): Promise<RunningRelay> {
  return startRelay({
    ...data,
    upstream: new URL(data.upstream),
    tap: new TrafficTap(new RingWriter(data.ring)),
    answerMetrics,
  }).catch((error: unknown) => {
    throw new RelayListenError(error instanceof Error ? errorCodeOf(error) : null, messageOf(error));
  });
}

/**
 * Starts the proxy's forwarding side (relay.ts) on a worker thread of its own, so that measuring (on this thread)
 * never delays a byte of traffic; on this thread when the compiled worker entry is not there (the unit tests run the
 * TypeScript sources). `answerMetrics` runs on this thread either way.
 */
export async function startRelayThread(
  data: RelayThreadData,
  answerMetrics: (forwardingHeap: HeapReading) => Promise<LocalAnswer>,
  entry: URL = WORKER_ENTRY,
): Promise<RelayThread> {
  if (!existsSync(fileURLToPath(entry))) return startRelayFrom(data, answerMetrics);
  const worker = new Worker(entry, { workerData: data });
  const send = (reply: RelayThreadReply): void => worker.postMessage(reply);
  let closed: (() => void) | null = null;
  let listening = false;
  let closing = false;
  /**
   * A forwarding thread that dies while serving takes the traffic with it: the process fails with its error, as it
   * would if forwarding ran on this thread, so that whatever supervises it restarts it.
   */
  const died = (error: Error): void => {
    process.nextTick(() => {
      throw error;
    });
  };
  return new Promise<RelayThread>((resolve, reject) => {
    worker.on('message', (message: RelayThreadMessage) => {
      switch (message.type) {
        case 'listening':
          listening = true;
          resolve({
            address: message.address,
            close: async () => {
              closing = true;
              await new Promise<void>((done) => {
                closed = done;
                send({ type: 'close' });
              });
              await worker.terminate();
            },
          });
          return;
        case 'failed':
          reject(new RelayListenError(message.code, message.message));
          void worker.terminate();
          return;
        case 'metrics':
          answerMetrics(message.heap).then(
            (answer) => send({ type: 'metrics', requestId: message.requestId, answer, error: null }),
            (error: unknown) =>
              send({
                type: 'metrics',
                requestId: message.requestId,
                answer: null,
                error: messageOf(error),
              }),
          );
          return;
        case 'closed':
          closed?.();
          return;
      }
    });
    worker.on('error', (error) => {
      if (listening && !closing) died(error);
      reject(error);
      closed?.();
    });
    worker.on('exit', (code) => {
      if (listening && !closing) died(new Error(`the proxy's forwarding thread exited (code ${code})`));
      closed?.();
    });
  });
}
