import type { ModelSettings } from '../models/classifier.js';
import { servedModelName, type ReferenceModelName } from '../models/reference-catalog.js';
import type { ServedModelInfo } from './model-backend.js';
import { startModelServerThread, type ModelServerHandle } from './server-thread.js';
import type { StartProgress } from './served-models.js';

/** Reference models served in this process, by served name: each is trained once however many targets use it. */
const serving = new Map<string, Promise<ModelServerHandle>>();

/** A reference model with its hyperparameters (none: yardstick's defaults). */
export interface ReferenceModelChoice {
  model: ReferenceModelName;
  settings?: ModelSettings;
}
let reportProgress: StartProgress = () => undefined;

/** Where `builtin` targets report training progress (a command's stderr); quiet by default. */
export function onReferenceModelProgress(progress: StartProgress): void {
  reportProgress = progress;
}

/**
 * The base URL serving each reference model, by served name (`spam-knn`, or `spam-knn(k=5)` with hyperparameters),
 * starting one server thread for those not yet served (all of them trained in it, in order). The thread does not
 * keep the process alive; `stopReferenceServers` ends it.
 */
export async function ensureReferenceModels(
  choices: readonly (ReferenceModelName | ReferenceModelChoice)[],
): Promise<Map<string, string>> {
  const specs = new Map(
    choices.map((choice) => {
      const { model, settings = {} } = typeof choice === 'string' ? { model: choice } : choice;
      const name = servedModelName(model, settings);
      return [name, { kind: 'reference' as const, name, model, settings }];
    }),
  );
  const names = [...specs.keys()];
  const missing = names.filter((name) => !serving.has(name));
  if (missing.length > 0) {
    const started = startModelServerThread({
      specs: missing.flatMap((name) => specs.get(name) ?? []),
      onProgress: (line) => reportProgress(line),
      unref: true,
    });
    for (const name of missing) serving.set(name, started);
    started.catch(() => {
      for (const name of missing) serving.delete(name);
    });
  }
  const urls = new Map<string, string>();
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
