import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { YardstickError } from '../core/errors.js';
import type { ExitCodeValue } from '../core/exit-codes.js';
import type { ServedModelInfo } from './model-backend.js';
import { startModelServer } from './model-server.js';
import { buildBackends, type ServedModelSpec, type StartProgress } from './served-models.js';

export type ServerThreadMessage =
  | { type: 'progress'; line: string }
  | { type: 'ready'; baseUrl: string; port: number; models: string[]; details: (ServedModelInfo & { id: string })[] }
  | { type: 'failed'; code: string | null; message: string; hint: string | null; exitCode: number | null };

export interface ModelServerHandle {
  baseUrl: string;
  port: number;
  models: string[];
  /** What each model is (description, training time, validation accuracy…), as `GET /v1/models` gives it. */
  details: (ServedModelInfo & { id: string })[];
  stop(): Promise<void>;
}

export interface ServerThreadOptions {
  specs: readonly ServedModelSpec[];
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  onProgress?: StartProgress;
  /** Let the process exit while the server thread runs (for servers started on behalf of a command's targets). */
  unref?: boolean;
}

const WORKER_ENTRY = new URL('./server-worker.js', import.meta.url);

/**
 * Trains the models and serves them on their own worker thread, in this process; resolves once the server listens.
 * From TypeScript sources (unit tests), where no compiled worker exists, the server runs on this thread instead.
 */
export async function startModelServerThread(options: ServerThreadOptions): Promise<ModelServerHandle> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 0;
  const progress = options.onProgress ?? (() => undefined);
  if (!existsSync(fileURLToPath(WORKER_ENTRY))) {
    const server = await startModelServer({ host, port, backends: [], loading: options.specs.map((s) => s.name) });
    const backends = await buildBackends(options.specs, progress, (backend) => server.add(backend)).catch(
      async (error: unknown) => {
        await server.close();
        throw error;
      },
    );
    return {
      baseUrl: server.baseUrl,
      port: server.port,
      models: server.models,
      details: backends.map((b) => ({ id: b.id, ...b.details })),
      stop: () => server.close(),
    };
  }
  const worker = new Worker(WORKER_ENTRY, { workerData: { host, port, specs: options.specs } });
  return new Promise<ModelServerHandle>((resolve, reject) => {
    worker.on('message', (message: ServerThreadMessage) => {
      if (message.type === 'progress') progress(message.line);
      else if (message.type === 'ready') {
        const exited = new Promise<void>((done) => worker.once('exit', () => done()));
        // Held while training (the caller waits on it); once serving, an unref'd thread lets the process end.
        if (options.unref === true) worker.unref();
        resolve({
          baseUrl: message.baseUrl,
          port: message.port,
          models: message.models,
          details: message.details,
          stop: async () => {
            worker.ref();
            worker.postMessage('stop');
            let timer: NodeJS.Timeout | undefined;
            await Promise.race([exited, new Promise((done) => (timer = setTimeout(done, 2000)))]);
            clearTimeout(timer);
            await worker.terminate();
          },
        });
      } else {
        void worker.terminate();
        reject(
          message.code !== null && message.exitCode !== null
            ? new YardstickError({
                code: message.code,
                message: message.message,
                hint: message.hint ?? undefined,
                exitCode: message.exitCode as ExitCodeValue,
              })
            : new Error(message.message),
        );
      }
    });
    worker.once('error', reject);
    worker.once('exit', (code) =>
      reject(new Error(`the model server thread exited (code ${code}) before it was ready`)),
    );
  });
}
