import type { DatasetInputConfig } from '../load/bench-config-schema.js';
import type { LoadedDataset } from '../load/inputs/dataset.js';
import type { DatasetJson } from '../efficiency/bench-json.js';

/** What a run's record says about the dataset its prompts came from. */
export function datasetJson(config: DatasetInputConfig, dataset: LoadedDataset): DatasetJson {
  const turns = dataset.conversations.map((c) => c.turns.length);
  return {
    path: config.path,
    format: dataset.format,
    conversations: config.conversations,
    records: dataset.records,
    used: dataset.conversations.length,
    skipped: dataset.skipped,
    skipReasons: dataset.skipReasons,
    turns: {
      mean: turns.reduce((a, b) => a + b, 0) / Math.max(1, turns.length),
      max: turns.reduce((a, b) => Math.max(a, b), 0),
    },
  };
}
