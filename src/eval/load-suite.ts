import { withModulePath } from '../targets/target-modules.js';
import { dirname, isAbsolute, resolve } from 'node:path';
import { describeIssue } from '../config/issues.js';
import { withOtherFieldIssues } from '../config/variant-issues.js';
import { mergeSources } from '../config/yaml-source.js';
import { usageError, type Problem } from '../core/errors.js';
import { seededRandom } from '../core/random.js';
import { loadRecords, type SourceRecord } from '../data/read-records.js';
import { REFERENCE_DATASET_NAMES, isReferenceDataset } from '../models/reference-catalog.js';
import { SPLIT_NAMES, type SplitName } from '../models/labeled-dataset.js';
import { referenceRows } from '../models/reference-datasets.js';
import { casesFromRecords, type CaseColumns, type EvalCase } from './cases.js';
import { PromptBuilder } from './prompt-builder.js';
import type { RetryPolicy } from './retry.js';
import { createScorers } from './scorers/create.js';
import type { Scorer } from './scorers/scorer.js';
import { canaryOf, prepareRobustness, withCanary, type PreparedRobustness } from './robustness/expand-cases.js';
import { robustnessMetricNames } from './robustness/robustness-schema.js';
import { possibleMetricNames } from './suite-metrics.js';
import { suiteSchema, type SuiteConfig } from './suite-schema.js';
import { parseEvalThreshold, type EvalThreshold } from './thresholds.js';

export interface LoadedSuite {
  config: SuiteConfig;
  /** The merged settings before validation, kept in the run record so `--resume` rebuilds the same suite. */
  raw: Record<string, unknown>;
  path: string | null;
  baseDir: string;
  cases: EvalCase[];
  builder: PromptBuilder;
  scorers: Scorer[];
  thresholds: EvalThreshold[];
  /** The first `choice` scorer: its labels feed the classification metrics. */
  labelScorer: string | null;
  retry: RetryPolicy;
  /** The suite's perturbations, prepared; null without a `robustness` section. */
  robustness: PreparedRobustness | null;
}

export interface SuiteSource {
  path: string | null;
  overrides: Record<string, unknown>;
  /** Where relative paths start: the suite file's folder (or, on resume, the original suite's). */
  baseDir?: string;
  /** Thresholds added to the suite's own (from `--threshold`). */
  extraThresholds?: readonly string[];
  /** The caller brings its own target, so the suite need not name any. */
  ownTarget?: boolean;
}

function fail(problems: Problem[]): never {
  const count = problems.length;
  throw usageError(
    'CONFIG_INVALID',
    `the suite has ${count} problem${count === 1 ? '' : 's'}`,
    'fix each one listed above; docs/eval.md describes every field',
    problems,
  );
}

const BUILTIN_PREFIX = 'builtin:';

/** `builtin:DATASET/SPLIT`: a split of a reference dataset (the one the reference models were trained and tested on). */
function builtinRecords(name: string, suiteWhere: (path: readonly PropertyKey[]) => string): SourceRecord[] {
  const [dataset = '', split = 'test'] = name.slice(BUILTIN_PREFIX.length).split('/');
  const problem = !isReferenceDataset(dataset)
    ? `no reference dataset '${dataset}'`
    : !(SPLIT_NAMES as readonly string[]).includes(split)
      ? `no split '${split}'`
      : null;
  if (problem !== null || !isReferenceDataset(dataset)) {
    throw usageError(
      'CONFIG_INVALID',
      `dataset '${name}': ${problem ?? ''}`,
      `write builtin:DATASET/SPLIT with DATASET one of ${REFERENCE_DATASET_NAMES.join(', ')} and SPLIT one of ${SPLIT_NAMES.join(', ')}`,
      [{ where: suiteWhere(['dataset']), field: 'dataset', message: problem ?? '' }],
    );
  }
  return referenceRows(dataset, split as SplitName).map((fields, i) => ({ line: i + 1, fields }));
}

async function readRows(
  config: SuiteConfig,
  baseDir: string,
  suiteWhere: (path: readonly PropertyKey[]) => string,
): Promise<{ records: SourceRecord[]; source: string }> {
  if (config.dataset?.startsWith(BUILTIN_PREFIX) === true)
    return { records: builtinRecords(config.dataset, suiteWhere), source: config.dataset };
  if (config.dataset !== undefined) {
    const path = isAbsolute(config.dataset) ? config.dataset : resolve(baseDir, config.dataset);
    return { records: await loadRecords(path), source: path };
  }
  const inline = config.cases ?? [];
  const records = inline.map((fields, i) => ({
    line: Number(/:(\d+)$/.exec(suiteWhere(['cases', i]))?.[1] ?? i + 1),
    fields,
  }));
  return { records, source: suiteWhere([]).replace(/:\d+$/, '') };
}

async function fewShotExamples(config: SuiteConfig, baseDir: string, columns: CaseColumns): Promise<EvalCase[]> {
  const few = config.prompt.fewShot;
  if (few === undefined) return [];
  let examples: EvalCase[];
  if (few.path !== undefined) {
    const path = isAbsolute(few.path) ? few.path : resolve(baseDir, few.path);
    examples = casesFromRecords(await loadRecords(path), path, { ...columns, idColumn: undefined });
  } else {
    examples = casesFromRecords(
      (few.cases ?? []).map((fields, i) => ({ line: i + 1, fields })),
      'prompt.fewShot.cases',
      { ...columns, idColumn: undefined },
    );
  }
  return few.count === undefined ? examples : examples.slice(0, few.count);
}

/** The first row lacking each variable the prompt or scorers need, as problems located at that row. */
function missingVariableProblems(cases: readonly EvalCase[], needs: { by: string; names: string[] }[]): Problem[] {
  const problems: Problem[] = [];
  for (const { by, names } of needs) {
    for (const name of new Set(names)) {
      const first = cases.find((c) => !(name in c.vars));
      if (first === undefined) continue;
      const columns = Object.keys(first.vars).join(', ');
      problems.push({
        where: first.where,
        field: name,
        message: `${by} uses {{${name}}}, but this row has no '${name}' (it is the first such row)`,
        hint: `columns here: ${columns}; fix the template or the data`,
      });
    }
  }
  return problems;
}

/**
 * Loads and checks a suite before anything is sent: schema, thresholds and scorers (every problem at once, at its
 * line), then the dataset (malformed rows at file:line), then that every template variable exists in every row.
 */
export async function loadSuite(source: SuiteSource): Promise<LoadedSuite> {
  const { raw, where } = mergeSources({ path: source.path, overrides: source.overrides });
  const ownThresholds = Array.isArray(raw.thresholds) ? raw.thresholds.length : 0;
  if (source.extraThresholds !== undefined && source.extraThresholds.length > 0) {
    raw.thresholds = [
      ...(Array.isArray(raw.thresholds) ? (raw.thresholds as unknown[]) : []),
      ...source.extraThresholds,
    ];
  }
  const baseDir = source.baseDir ?? (source.path === null ? process.cwd() : dirname(resolve(source.path)));
  const parsed = suiteSchema.safeParse(raw);
  if (!parsed.success)
    fail(
      withOtherFieldIssues(suiteSchema, parsed.error.issues, raw).map((issue) => ({
        where: where(issue.path),
        ...describeIssue(issue),
      })),
    );
  const config = { ...parsed.data, targets: parsed.data.targets.map((t) => withModulePath(t, baseDir)) };
  const retry: RetryPolicy = {
    retries: config.run.retries,
    baseDelayMs: config.run.retryBaseDelay,
    maxDelayMs: 30_000,
    maxRetryAfterMs: 60_000,
    random: seededRandom(config.run.seed + 7919),
  };
  const built = createScorers(config.scorers, { baseDir, where, retry });
  const problems = [...built.problems];
  const labelScorer = built.scorers.find((s) => s.labels !== undefined)?.name ?? null;
  const metricNames = [
    ...possibleMetricNames(
      built.scorers.map((s) => s.name),
      labelScorer !== null,
    ),
    ...robustnessMetricNames(config.robustness),
  ];
  const thresholds: EvalThreshold[] = [];
  config.thresholds.forEach((expr, i) => {
    const result = parseEvalThreshold(expr, metricNames);
    if (result.ok) thresholds.push(result.value);
    else
      problems.push({
        where: i < ownThresholds ? where(['thresholds', i]) : 'command line',
        field: `thresholds.${i}`,
        message: result.message,
        hint: result.hint,
      });
  });
  if (config.targets.length === 0 && source.ownTarget !== true)
    problems.push({
      where: where(['targets']),
      field: 'targets',
      message: 'the suite names no target to evaluate',
      hint: 'add a list of targets, e.g. targets: [{ kind: openai-chat, baseUrl: http://127.0.0.1:8000/v1, model: m }]',
    });
  config.targets.forEach((target, i) => {
    if (target.kind === 'openai-completions' && config.prompt.messages !== undefined) {
      problems.push({
        where: where(['targets', i, 'kind']),
        field: `targets.${i}.kind`,
        message: 'a completions target takes a text prompt, but the suite has chat messages',
        hint: "use kind 'openai-chat', or give the prompt as 'text'",
      });
    }
  });
  if (problems.length > 0) fail(problems);

  const columns: CaseColumns = {
    idColumn: config.idColumn,
    expectedColumn: config.expectedColumn,
    tagsColumn: config.tagsColumn,
    weightColumn: config.weightColumn,
  };
  const { records, source: dataSource } = await readRows(config, baseDir, where);
  const rows = casesFromRecords(records, dataSource, columns);
  // Injection probes put a canary in every case, for a prompt that shows it (`{{canary}}`) to a leak probe.
  const cases = config.robustness?.injection === undefined ? rows : withCanary(rows, canaryOf(config.robustness.seed));
  const examples = await fewShotExamples(config, baseDir, columns);
  const builder = new PromptBuilder(config.prompt, examples);
  const dataProblems = missingVariableProblems(cases, [
    { by: 'the prompt', names: builder.variables },
    ...built.variables.map((v) => ({ by: `scorer '${v.scorer}'`, names: v.names })),
  ]);
  if (built.needExpected.length > 0 && cases.every((c) => c.expected.length === 0)) {
    dataProblems.push({
      where: dataSource,
      field: config.expectedColumn,
      message: `scorer${built.needExpected.length > 1 ? 's' : ''} ${built.needExpected.map((n) => `'${n}'`).join(', ')} compare with the expected answer, but no row has a '${config.expectedColumn}' column`,
      hint: "add the column, set 'expectedColumn', or give the scorer a 'value' template",
    });
  }
  for (const field of config.robustness?.fields ?? [])
    if (cases.length > 0 && cases.every((c) => typeof c.vars[field] !== 'string'))
      dataProblems.push({
        where: where(['robustness', 'fields']),
        field: 'robustness.fields',
        message: `no case has a text variable '${field}' to perturb`,
        hint: `the cases' variables: ${Object.keys(cases[0]?.vars ?? {}).join(', ')}`,
      });
  if (dataProblems.length > 0) {
    throw usageError(
      'DATA_INVALID',
      `the suite's data does not fit its templates (${dataProblems.length} problem${dataProblems.length === 1 ? '' : 's'})`,
      'nothing was sent; fix each one listed above',
      dataProblems,
    );
  }
  const robustness =
    config.robustness === undefined
      ? null
      : await prepareRobustness(config.robustness, {
          baseDir,
          promptVariables: builder.variables,
          where: (index) => where(['robustness', 'perturbations', index]),
        });
  return {
    config,
    raw,
    path: source.path,
    baseDir,
    cases,
    builder,
    scorers: built.scorers,
    thresholds,
    labelScorer,
    retry,
    robustness,
  };
}
