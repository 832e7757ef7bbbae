import { isAbsolute, resolve } from 'node:path';
import { loadRecords } from '../data/read-records.js';
import { compileTemplate, renderTemplate } from '../eval/template.js';
import { docsFrom, rowId, text, type DocOrProblem, type RowFile } from './load-rows.js';
import type { CustomTaskConfig } from './benchmark-schema.js';
import type { LoadedTask, TaskDoc } from './task.js';

async function rowsOf(path: string): Promise<RowFile> {
  return { path, origin: path, records: await loadRecords(path), parquet: path.endsWith('.parquet') };
}

function docMaker(
  config: CustomTaskConfig,
): (fields: Record<string, unknown>, where: string, line: number) => DocOrProblem {
  const template = compileTemplate(config.text);
  return (fields, where, line) => {
    const missing = template.names.find((n) => !(n in fields));
    if (missing !== undefined)
      return { problem: `the template uses {{${missing}}}, but the row has no '${missing}'`, field: missing };
    const listed = typeof config.choices === 'string' ? fields[config.choices] : config.choices;
    const choices = Array.isArray(listed)
      ? listed.map(text)
      : typeof listed === 'string'
        ? (JSON.parse(listed) as unknown[]).map(text)
        : null;
    if (choices === null || choices.length < 2)
      return {
        problem: `'${String(config.choices)}' does not hold a list of at least two choices`,
        field: String(config.choices),
      };
    const answer = fields[config.answer];
    const byText = choices.indexOf(text(answer));
    const byIndex = /^\d+$/.test(text(answer)) ? Number(text(answer)) : -1;
    const gold = byText >= 0 ? byText : byIndex >= 0 && byIndex < choices.length ? byIndex : -1;
    if (gold < 0)
      return {
        problem: `answer '${text(answer)}' is neither one of the choices (${choices.join(', ')}) nor an index of one`,
        field: config.answer,
      };
    const labels = config.labels ?? choices;
    if (labels.length !== choices.length)
      return { problem: `there are ${labels.length} labels for ${choices.length} choices`, field: 'labels' };
    return {
      id: rowId(fields, line),
      where,
      text: renderTemplate(template, fields),
      choices,
      labels: [...labels],
      gold: [gold],
    };
  };
}

/** Loads a task a user defines in YAML; paths are relative to the config file's folder. */
export async function loadCustomTask(config: CustomTaskConfig, baseDir: string, fewshot: number): Promise<LoadedTask> {
  const at = (p: string): string => (isAbsolute(p) ? p : resolve(baseDir, p));
  const file = await rowsOf(at(config.dataset));
  const toDoc = docMaker(config);
  const docs = docsFrom(file, toDoc);
  const pool: TaskDoc[] =
    config.fewshotDataset === undefined ? [] : docsFrom(await rowsOf(at(config.fewshotDataset)), toDoc);
  return {
    name: config.name,
    benchmark: 'custom',
    docs,
    fewshotCount: Math.min(fewshot, pool.length),
    fewshot: (_doc, n) => pool.slice(0, n),
    description: () => config.description,
    targetDelimiter: config.targetDelimiter,
    fewshotDelimiter: '\n\n',
    metrics: config.metrics,
    regression: false,
    source: file.origin,
    citation: 'defined in the benchmark config',
  };
}
