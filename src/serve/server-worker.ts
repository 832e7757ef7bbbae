import { parentPort, workerData } from 'node:worker_threads';
import { YardstickError, messageOf } from '../core/errors.js';
import { startModelServer } from './model-server.js';
import { buildBackends, type ServedModelSpec } from './served-models.js';
import type { ServerThreadMessage } from './server-thread.js';

// The model server's own thread: models train and answer here, so a CPU-bound prediction never delays the
// load generator's timers on the main thread.
const setup = workerData as { host: string; port: number; specs: ServedModelSpec[] };
const post = (message: ServerThreadMessage): void => parentPort?.postMessage(message);

async function main(): Promise<void> {
  // Listening first: a taken port fails at once, not after the models have trained.
  const server = await startModelServer({
    host: setup.host,
    port: setup.port,
    backends: [],
    loading: setup.specs.map((s) => s.name),
  });
  const backends = await buildBackends(
    setup.specs,
    (line) => post({ type: 'progress', line }),
    (backend) => server.add(backend),
  );
  parentPort?.on('message', (message: unknown) => {
    if (message === 'stop') void server.close().then(() => process.exit(0));
  });
  post({
    type: 'ready',
    baseUrl: server.baseUrl,
    port: server.port,
    models: server.models,
    details: backends.map((b) => ({ id: b.id, ...b.details })),
  });
}

main().catch((error: unknown) => {
  if (error instanceof YardstickError)
    post({
      type: 'failed',
      code: error.code,
      message: error.message,
      hint: error.hint ?? null,
      exitCode: error.exitCode,
    });
  else post({ type: 'failed', code: null, message: messageOf(error), hint: null, exitCode: null });
});
