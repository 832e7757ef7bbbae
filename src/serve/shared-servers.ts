import type { ReferenceModelName } from '../models/reference-catalog.js';
import type { ServedModelInfo } from './model-backend.js';
import { startModelServerThread, type ModelServerHandle } from './server-thread.js';
import type { StartProgress } from './served-models.js';

/** Reference models served in this process, by name: each is trained once however many targets use it. */
const serving = new Map<ReferenceModelName, Promise<ModelServerHandle>>();
let reportProgress: StartProgress = () => undefined;

/** Where `builtin` targets report training progress (a command's stderr); quiet by default. */
export function onReferenceModelProgress(progress: StartProgress): void {
  reportProgress = progress;
}

/**
 * The base URL serving each named reference model, starting one server thread for those not yet served (all of
 * them trained in it, in order). The thread does not keep the process alive; `stopReferenceServers` ends it.
 */
export async function ensureReferenceModels(
  names: readonly ReferenceModelName[],
): Promise<Map<ReferenceModelName, string>> {
  const missing = [...new Set(names)].filter((name) => !serving.has(name));
  if (missing.length > 0) {
    const started = startModelServerThread({
      specs: missing.map((name) => ({ kind: 'reference', name })),
      onProgress: (line) => reportProgress(line),
      unref: true,
    });
    for (const name of missing) serving.set(name, started);
    started.catch(() => {
      for (const name of missing) serving.delete(name);
    });
  }
  const urls = new Map<ReferenceModelName, string>();
  for (const name of names) urls.set(name, (await serving.get(name))?.baseUrl ?? '');
  return urls;
}

/** What the served reference models are (description, training time, validation accuracy), by name. */
export async function referenceModelDetails(): Promise<(ServedModelInfo & { id: string })[]> {
  const handles = new Set(await Promise.all([...serving.values()].map((p) => p.catch(() => null))));
  return [...handles].flatMap((h) => h?.details ?? []);
}

/** Stops every reference model server this process started. */
export async function stopReferenceServers(): Promise<void> {
  const handles = new Set(await Promise.all([...serving.values()].map((p) => p.catch(() => null))));
  serving.clear();
  for (const handle of handles) await handle?.stop();
}
