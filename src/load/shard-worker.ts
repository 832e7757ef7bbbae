import { parentPort, workerData } from 'node:worker_threads';
import { InProcessShard } from './in-process-shard.js';
import { serializeError, type FromWorker, type ShardSetup, type ToWorker } from './shard-host.js';

/** Worker-thread entry: hosts one in-process shard and relays the engine's messages to it. */
async function main(): Promise<void> {
  const port = parentPort;
  if (port === null) return;
  const post = (message: FromWorker): void => port.postMessage(message);
  let shard: InProcessShard;
  try {
    shard = await InProcessShard.create(workerData as ShardSetup);
  } catch (error) {
    post({ type: 'failed', error: serializeError(error) });
    return;
  }
  port.on('message', (message: ToWorker) => {
    switch (message.type) {
      case 'run':
        shard.run(message.spec).then(
          (state) => post({ type: 'done', state }),
          (error: unknown) => post({ type: 'failed', error: serializeError(error) }),
        );
        break;
      case 'stop':
        shard.stop();
        break;
      case 'snapshot':
        post({ type: 'snapshot', snapshot: shard.snapshot() });
        break;
      case 'close':
        void shard.close().finally(() => port.close());
        break;
    }
  });
  post({ type: 'ready' });
}

void main();
