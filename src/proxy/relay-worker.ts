import { parentPort, workerData } from 'node:worker_threads';
import { messageOf } from '../core/errors.js';
import type { LocalAnswer } from './relay.js';
import {
  RelayListenError,
  startRelayFrom,
  type RelayThreadData,
  type RelayThreadMessage,
  type RelayThreadReply,
} from './relay-thread.js';

// Worker entry: the proxy's forwarding side on a thread of its own (relay-thread.ts starts it).
const data = workerData as RelayThreadData;
const port = parentPort;
const tell = (message: RelayThreadMessage): void => port?.postMessage(message);
const waitingMetrics = new Map<number, { resolve: (answer: LocalAnswer) => void; reject: (error: Error) => void }>();
let lastMetricsId = 0;

startRelayFrom(
  data,
  (heap) =>
    new Promise<LocalAnswer>((resolve, reject) => {
      const requestId = ++lastMetricsId;
      waitingMetrics.set(requestId, { resolve, reject });
      tell({ type: 'metrics', requestId, heap });
    }),
).then(
  (relay) => {
    port?.on('message', (reply: RelayThreadReply) => {
      if (reply.type === 'close') {
        void relay.close().then(() => tell({ type: 'closed' }));
        return;
      }
      const waiting = waitingMetrics.get(reply.requestId);
      waitingMetrics.delete(reply.requestId);
      if (reply.answer !== null) waiting?.resolve(reply.answer);
      else waiting?.reject(new Error(reply.error));
    });
    const { address, family, port: listening } = relay.address;
    tell({ type: 'listening', address: { address, family, port: listening } });
  },
  (error: unknown) =>
    tell({
      type: 'failed',
      code: error instanceof RelayListenError ? error.code : null,
      message: messageOf(error),
    }),
);
