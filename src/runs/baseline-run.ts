import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { stringify } from 'yaml';
import { usageError, messageOf } from '../core/errors.js';
import { loadRecords } from '../data/read-records.js';
import type { EvalJson } from '../eval/eval-summary.js';
import { loadSuite } from '../eval/load-suite.js';
import { runEval, runnableSuite, type EvalProgress } from '../eval/runner.js';
import type { SuiteMetric } from '../eval/suite-metrics.js';
import type { ModelFamily } from '../models/classifier.js';
import { labelsOf } from '../models/labeled-dataset.js';
import { stratifiedSplit, type SplitFractions } from '../models/stratified-split.js';
import { userDataset, type UserDatasetColumns } from '../models/user-dataset.js';
import type { ServedModelInfo } from '../serve/model-backend.js';
import type { ServedModelSpec } from '../serve/served-models.js';
import { startModelServerThread, type ModelServerHandle } from '../serve/server-thread.js';
import { newRunId } from '../store/run-id.js';
import { saveFinishedRun } from '../store/run-lifecycle.js';
import type { StoredRun } from '../store/run-record.js';
import type { Store } from '../store/store.js';
import { tradeoff, type TradeoffJson } from '../tradeoff/tradeoff.js';

/** Short model names by family: `baseline-nb`, `baseline-logreg`, `baseline-knn`, `baseline-forest`. */
export const FAMILY_NAMES: Record<ModelFamily, string> = {
  'naive-bayes': 'nb',
  'logistic-regression': 'logreg',
  knn: 'knn',
  'random-forest': 'forest',
};

export interface BaselineOptions {
  dataPath: string;
  columns: UserDatasetColumns;
  families: readonly ModelFamily[];
  split: SplitFractions;
  seed: number;
  /** Where the held-out split and the LLM suite template are written. */
  outDir: string;
  /** Eval runs of other targets (an LLM) on the written test split, to compare with. */
  compare: readonly string[];
  concurrency: number;
  /** Where the models are served: 0 picks a free port. */
  port: number;
  store: Store;
  signal: AbortSignal;
  onLine?: (line: string) => void;
  onEvalProgress?: (progress: EvalProgress) => void;
}

export interface BaselineModelResult {
  name: string;
  family: ModelFamily;
  details: ServedModelInfo;
  evalRunId: string;
  accuracy: SuiteMetric | null;
  f1Macro: SuiteMetric | null;
  p50LatencyMs: number | null;
  p95LatencyMs: number | null;
}

/** The `--json` output of `yardstick baseline`. */
export interface BaselineJson {
  schemaVersion: 1;
  kind: 'baseline';
  runId: string;
  data: string;
  label: string;
  input: { text: string } | { features: string[] };
  classes: string[];
  split: { train: number; validation: number; test: number; seed: number };
  testFile: string;
  llmSuiteFile: string;
  /** Always answering the most common training label: the floor any model must clear. */
  majority: { label: string; accuracy: number };
  models: BaselineModelResult[];
  tradeoff: TradeoffJson | null;
  tradeoffNote: string | null;
}

function llmSuiteTemplate(testFile: string, labels: readonly string[]): string {
  const suite = {
    name: 'llm-on-baseline-split',
    dataset: testFile,
    idColumn: 'id',
    prompt: {
      messages: [
        { role: 'system', content: `Classify the input. Answer with exactly one of: ${labels.join(', ')}.` },
        { role: 'user', content: '{{input}}' },
      ],
      maxTokens: 16,
      body: { temperature: 0 },
    },
    targets: [{ name: 'my-llm', kind: 'openai-chat', baseUrl: 'http://127.0.0.1:8000/v1', model: 'replace-me' }],
    scorers: [{ type: 'choice', choices: [...labels], extract: 'strict' }],
  };
  return `# The same held-out cases the baseline models were scored on. Set the target to your LLM, run\n#   yardstick eval THIS_FILE\n# then compare: yardstick baseline … --compare RUN_ID, or yardstick tradeoff BASELINE_RUNS… RUN_ID\n${stringify(suite)}`;
}

/**
 * Trains the simple models on the user's labelled data (train split; validation chooses settings), serves them
 * on 127.0.0.1, and evaluates each on the held-out test split through the eval runner — ordinary eval runs, with
 * accuracy intervals and latency — then weighs them, and any compared LLM runs on the same cases, in a tradeoff.
 */
export async function runBaseline(
  options: BaselineOptions,
): Promise<{ summary: BaselineJson; server: ModelServerHandle }> {
  const createdAt = new Date().toISOString();
  const line = options.onLine ?? (() => undefined);
  const dataPath = resolve(options.dataPath);
  const dataset = userDataset(dataPath, await loadRecords(dataPath), options.columns);
  const splits = stratifiedSplit(dataset.examples, options.split, options.seed);
  if (splits.test.length === 0 || splits.train.length === 0)
    throw usageError(
      'DATA_TOO_SMALL',
      `${dataPath} has too few rows to hold out a test split (${dataset.examples.length} rows)`,
      'give more labelled rows, or a larger --test-size',
    );
  const labels = labelsOf(dataset.examples);
  const trainLabels = labelsOf(splits.train);
  if (trainLabels.length < 2)
    throw usageError(
      'DATA_TOO_SMALL',
      `the training split has one class ('${trainLabels[0] ?? ''}')`,
      'give more rows of each class',
    );
  mkdirSync(options.outDir, { recursive: true });
  const testFile = resolve(options.outDir, 'test.jsonl');
  writeFileSync(
    testFile,
    splits.test.map((e) => JSON.stringify({ id: e.id, input: e.input, expected: e.label })).join('\n') + '\n',
  );
  const llmSuiteFile = resolve(options.outDir, 'llm-suite.yaml');
  writeFileSync(llmSuiteFile, llmSuiteTemplate(testFile, labels));
  line(
    `${dataset.examples.length} rows, ${labels.length} classes; split ${splits.train.length} train / ${splits.validation.length} validation / ${splits.test.length} test (seed ${options.seed}); test split written to ${testFile}`,
  );

  const meta = { name: dataset.name, kind: dataset.kind, featureNames: dataset.featureNames, source: dataset.source };
  const specs: ServedModelSpec[] = options.families.map((family) => ({
    kind: 'trained',
    name: `baseline-${FAMILY_NAMES[family]}`,
    family,
    dataset: meta,
    splits,
    seed: options.seed,
  }));
  const server = await startModelServerThread({ specs, port: options.port, onProgress: line });
  const models: BaselineModelResult[] = [];
  const evals: EvalJson[] = [];
  try {
    for (const [i, spec] of specs.entries()) {
      if (options.signal.aborted) break;
      const raw = {
        name: `baseline:${dataset.name}`,
        dataset: testFile,
        idColumn: 'id',
        prompt: { messages: [{ role: 'user', content: '{{input}}' }] },
        targets: [{ kind: 'openai-chat', name: spec.name, baseUrl: server.baseUrl, model: spec.name, stream: false }],
        scorers: [{ type: 'choice', choices: labels, extract: 'strict' }],
        run: { concurrency: options.concurrency, cache: false },
      };
      const suite = await loadSuite({ path: null, overrides: raw, baseDir: options.outDir });
      const { summary } = await runEval({
        suite: runnableSuite(suite),
        settings: {
          suite: suite.raw,
          suitePath: null,
          baseDir: options.outDir,
          targetIndex: 0,
          sampling: { limit: null, sample: null, seed: options.seed, stratify: null },
          repeats: 1,
          concurrency: options.concurrency,
          ratePerS: null,
          cache: false,
        },
        store: options.store,
        signal: options.signal,
        resume: null,
        observers: [
          {
            started: (record, info) => line(`eval ${spec.name}: run ${record.id}, ${info.requests ?? 0} requests`),
            ...(options.onEvalProgress === undefined ? {} : { progress: options.onEvalProgress }),
          },
        ],
      });
      evals.push(summary);
      const details = server.details.find((d) => d.id === spec.name) ?? {
        id: spec.name,
        kind: 'classifier' as const,
        description: '',
      };
      models.push({
        name: spec.name,
        family: options.families[i] as ModelFamily,
        details,
        evalRunId: summary.runId,
        accuracy: summary.metrics.accuracy ?? null,
        f1Macro: summary.metrics.f1_macro ?? null,
        p50LatencyMs: summary.latencyMs.e2e?.p50 ?? null,
        p95LatencyMs: summary.latencyMs.e2e?.p95 ?? null,
      });
    }
  } catch (error) {
    await server.stop();
    throw error;
  }
  const counts = new Map<string, number>();
  for (const e of splits.train) counts.set(e.label, (counts.get(e.label) ?? 0) + 1);
  const majorityLabel = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? '';
  let tradeoffResult: TradeoffJson | null = null;
  let tradeoffNote: string | null = null;
  const records = [
    ...(await Promise.all(evals.map((e) => options.store.getRun(e.runId)))),
    ...(await Promise.all(
      options.compare.map(async (id) => {
        const record = await options.store.getRun(id);
        if (record === null)
          throw usageError(
            'RUN_NOT_FOUND',
            `--compare: no run '${id}' in the store`,
            'give the id of an eval run on the written test split (yardstick runs list --kind eval)',
          );
        return record;
      }),
    )),
  ].filter((r): r is StoredRun => r !== null);
  try {
    tradeoffResult =
      records.length >= 2
        ? await tradeoff(records, options.store, 'accuracy', {
            minAccuracy: null,
            maxP95Ms: null,
            budgetPer1k: null,
            prefer: null,
          })
        : null;
    if (records.length < 2) tradeoffNote = 'one model only: nothing to weigh';
  } catch (error) {
    tradeoffNote = messageOf(error);
  }
  const runId = newRunId();
  const summary: BaselineJson = {
    schemaVersion: 1,
    kind: 'baseline',
    runId,
    data: dataPath,
    label: options.columns.label,
    input: options.columns.text !== null ? { text: options.columns.text } : { features: [...options.columns.features] },
    classes: labels,
    split: {
      train: splits.train.length,
      validation: splits.validation.length,
      test: splits.test.length,
      seed: options.seed,
    },
    testFile,
    llmSuiteFile,
    majority: {
      label: majorityLabel,
      accuracy: splits.test.filter((e) => e.label === majorityLabel).length / splits.test.length,
    },
    models,
    tradeoff: tradeoffResult,
    tradeoffNote,
  };
  await saveFinishedRun(options.store, {
    id: runId,
    kind: 'baseline',
    createdAt,
    status: options.signal.aborted ? 'interrupted' : 'completed',
    config: {
      data: dataPath,
      columns: options.columns,
      families: options.families,
      split: options.split,
      seed: options.seed,
      outDir: resolve(options.outDir),
      compare: options.compare,
      concurrency: options.concurrency,
    },
    target: { kind: 'baseline', name: dataset.name, url: `file://${dataPath}`, model: null, streaming: false },
    summary,
  });
  return { summary, server };
}
