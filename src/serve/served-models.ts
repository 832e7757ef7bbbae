import type { ModelFamily, ModelSettings } from '../models/classifier.js';
import type { DatasetSplits, LabeledDataset } from '../models/labeled-dataset.js';
import type { ReferenceModelName } from '../models/reference-catalog.js';
import type { TrainedModel } from '../models/train-model.js';
import { ClassifierBackend } from './classifier-backend.js';
import type { ModelBackend } from './model-backend.js';

/** A model to serve: a reference model, a model trained on the user's data (`baseline`), or a local GGUF file. */
export type ServedModelSpec =
  | { kind: 'reference'; name: string; model: ReferenceModelName; settings: ModelSettings }
  | {
      kind: 'trained';
      name: string;
      family: ModelFamily;
      dataset: Omit<LabeledDataset, 'examples'>;
      splits: DatasetSplits;
      seed: number;
    }
  | { kind: 'gguf'; name: string; path: string; contextSize: number; threads: number | null };

/** Progress of starting the models, one line each, for a terminal. */
export type StartProgress = (line: string) => void;

function describeTrained(model: TrainedModel): string {
  const validation =
    model.validationAccuracy === null
      ? ''
      : `, validation accuracy ${model.validationAccuracy.toFixed(3)} (n=${model.validationCount})`;
  return `${model.name}: ${model.classifier.description}; trained on ${model.splitSizes.train} examples in ${(model.trainMs / 1000).toFixed(1)} s${validation}`;
}

/**
 * Trains or loads every model, wraps each in a backend and hands it to `ready` as soon as it is; the GGUF backend is
 * imported only when asked for. Resolves with all of them.
 */
export async function buildBackends(
  specs: readonly ServedModelSpec[],
  progress: StartProgress,
  ready: (backend: ModelBackend) => void = () => undefined,
): Promise<ModelBackend[]> {
  const backends: ModelBackend[] = [];
  const push = (backend: ModelBackend): void => {
    backends.push(backend);
    ready(backend);
  };
  for (const spec of specs) {
    if (spec.kind === 'gguf') {
      progress(`${spec.name}: loading ${spec.path}`);
      const { GgufBackend } = await import('./gguf-backend.js');
      push(await GgufBackend.load(spec));
      continue;
    }
    progress(`${spec.name}: training…`);
    // The ML libraries load only when a model trains, not with every command that can name a builtin target.
    const { trainReferenceModel } = await import('../models/train-reference.js');
    const { trainModel } = await import('../models/train-model.js');
    const model =
      spec.kind === 'reference'
        ? trainReferenceModel(spec.model, spec.settings, spec.name)
        : trainModel(spec.name, spec.family, { ...spec.dataset, examples: [] }, spec.splits, spec.seed);
    progress(describeTrained(model));
    push(new ClassifierBackend(model));
  }
  return backends;
}
