import { isJsonObject } from '../core/json-object.js';
import { usageError, type Problem } from '../core/errors.js';
import type { SourceRecord } from '../data/read-records.js';
import { ratingSummary, type RatingJson } from '../rating/agreement-summary.js';
import { itemRow, itemsOf, ratingRow, readTask, type Rating } from '../rating/rating-task.js';
import { parseRubric, ratingValue, rubricOf, rubricText, type Rubric } from '../accuracy/rubric.js';
import { newRunId } from '../store/run-id.js';
import { saveFinishedRun } from '../store/run-lifecycle.js';
import type { StoredRun } from '../store/run-record.js';
import type { Store } from '../store/store.js';

/** A rating task's run with what it was made from: the eval run (two, pairwise), the rubric and its question. */
export interface RatingTask {
  run: StoredRun;
  source: string;
  against: string | null;
  rubric: Rubric;
  /** What raters are asked, shown above every item; null for none. */
  question: string | null;
}

/** The stored rating task with this id; exit 2 when there is none or the run is another kind. */
export async function ratingTask(store: Store, id: string): Promise<RatingTask> {
  const run = await store.getRun(id);
  if (run === null)
    throw usageError(
      'RUN_NOT_FOUND',
      `no run with id '${id}' in the store`,
      'list tasks with `yardstick runs list --kind rating`',
    );
  const config = run.config;
  if (
    run.kind !== 'rating' ||
    !isJsonObject(config) ||
    typeof config.rubric !== 'string' ||
    typeof config.source !== 'string'
  )
    throw usageError(
      'RUN_KIND_MISMATCH',
      `run ${run.id} is a ${run.kind} run, not a rating task`,
      'create one with `yardstick rate create EVAL_RUN_ID`',
    );
  return {
    run,
    source: config.source,
    against: typeof config.against === 'string' ? config.against : null,
    rubric: parseRubric(config.rubric),
    question: typeof config.question === 'string' ? config.question : null,
  };
}

/** The `rating:` section of the suite an eval run ran (its rubric and question), as far as it declares one. */
export async function suiteRating(
  store: Store,
  runId: string,
): Promise<{ rubric: Rubric | null; question: string | null }> {
  const config = (await store.getRun(runId))?.config;
  const suite = isJsonObject(config) && isJsonObject(config.suite) ? config.suite : null;
  const rating = suite !== null && isJsonObject(suite.rating) ? suite.rating : null;
  return {
    rubric: typeof rating?.rubric === 'string' ? rubricOf(rating.rubric) : null,
    question: typeof rating?.question === 'string' ? rating.question : null,
  };
}

/**
 * The rubric and question of a new task: the flags', else the `rating:` section of the source run's suite, else
 * pass-fail; a pairwise task (`against`) always rates pairwise. Exit 2 when they contradict each other.
 */
async function taskRubric(
  store: Store,
  options: { source: string; against: string | null; rubric: Rubric | null; question: string | null },
): Promise<{ rubric: Rubric; question: string | null }> {
  const fromSuite = await suiteRating(store, options.source);
  const question = options.question ?? fromSuite.question;
  if (options.against !== null) {
    if (options.rubric !== null && options.rubric.kind !== 'pairwise')
      throw usageError(
        'FLAG_INVALID',
        `--rubric ${rubricText(options.rubric)} cannot go with --against`,
        'a task over two runs asks which output is better: leave out --rubric',
      );
    return { rubric: { kind: 'pairwise' }, question };
  }
  const rubric = options.rubric ?? fromSuite.rubric ?? { kind: 'pass-fail' };
  if (rubric.kind === 'pairwise')
    throw usageError(
      'FLAG_INVALID',
      `a pairwise rating of run ${options.source} needs a second run`,
      'add --against RUN_B (an eval run of the same cases)',
    );
  return { rubric, question };
}

/**
 * Creates a rating task over an eval run's answered cases: blind items in a seeded random order, stored as a run of
 * kind `rating` whose summary is updated as ratings come in.
 */
export async function createRatingTask(
  store: Store,
  options: {
    source: string;
    against: string | null;
    rubric: Rubric | null;
    question: string | null;
    seed: number;
    limit: number | null;
  },
): Promise<RatingJson> {
  const { rubric, question } = await taskRubric(store, options);
  const { source, against } = options;
  const items = await itemsOf(store, options);
  if (items.length === 0)
    throw usageError(
      'RATING_EMPTY',
      against === null
        ? `run ${source} has no answered case to rate`
        : `runs ${source} and ${against} answered no case in common`,
      against === null ? 'rate a run whose requests were answered' : 'compare two eval runs of the same suite',
    );
  const id = newRunId();
  const summary = ratingSummary({ runId: id, source, against, rubric }, items, []);
  await saveFinishedRun(store, {
    id,
    kind: 'rating',
    status: 'completed',
    config: {
      source,
      against,
      rubric: rubricText(rubric),
      question,
      seed: options.seed,
      limit: options.limit,
    },
    target: {
      kind: 'raters',
      name: against === null ? `ratings of ${source}` : `ratings of ${source} against ${against}`,
      url: `run://${source}`,
      model: null,
      streaming: false,
    },
    summary,
  });
  await store.saveCases(id, items.map(itemRow));
  return summary;
}

/** What an import did: ratings added or revised, rows left unrated, rows equal to a rating already kept. */
export interface ImportResult {
  summary: RatingJson;
  added: number;
  blank: number;
  unchanged: number;
}

/**
 * Adds ratings from records (`item`, `rating`, optional `rater` and `comment` columns; `--rater` for a file of one
 * rater's): every bad row is reported with its file:line and nothing is saved; a row without a rating is skipped (an
 * exported sheet's unrated items); a changed rating becomes the rater's new revision of the item.
 */
export async function importRatings(
  store: Store,
  taskId: string,
  records: readonly SourceRecord[],
  options: { path: string; rater: string | null },
): Promise<ImportResult> {
  const task = await ratingTask(store, taskId);
  const { items, ratings } = await readTask(store, task.run.id);
  const known = new Set(items.map((i) => i.itemId));
  const existing = new Map(ratings.map((r) => [`${r.rater}\u0000${r.itemId}`, r]));
  const problems: Problem[] = [];
  const rows: Rating[] = [];
  let blank = 0;
  let unchanged = 0;
  const at = new Date().toISOString();
  for (const record of records) {
    const where = `${options.path}:${record.line}`;
    const text = (name: string): string => {
      const v = record.fields[name];
      return typeof v === 'string' ? v.trim() : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
    };
    const itemId = text('item');
    const rater = options.rater ?? text('rater');
    const given = text('rating');
    if (given === '') {
      blank += 1;
      continue;
    }
    if (!known.has(itemId))
      problems.push({
        where,
        field: 'item',
        message: `'${itemId}' is not an item of task ${task.run.id}`,
        hint: 'keep the item column of the exported sheet',
      });
    if (rater === '')
      problems.push({
        where,
        field: 'rater',
        message: 'no rater named',
        hint: 'add a rater column, or pass --rater NAME',
      });
    const value = ratingValue(task.rubric, given);
    if (typeof value === 'string')
      problems.push({ where, field: 'rating', message: value, hint: `the rubric is ${rubricText(task.rubric)}` });
    if (typeof value !== 'number' || !known.has(itemId) || rater === '') continue;
    const comment = text('comment');
    const earlier = existing.get(`${rater}\u0000${itemId}`);
    if (earlier !== undefined && earlier.value === value && earlier.comment === comment) {
      unchanged += 1;
      continue;
    }
    const rating: Rating = {
      rater,
      itemId,
      value,
      comment,
      at,
      revision: earlier === undefined ? 0 : earlier.revision + 1,
    };
    existing.set(`${rater}\u0000${itemId}`, rating);
    rows.push(rating);
  }
  if (problems.length > 0)
    throw usageError(
      'RATINGS_INVALID',
      `${options.path} has ${problems.length} bad row${problems.length === 1 ? '' : 's'}; nothing was imported`,
      'fix each one listed above and import the file again',
      problems,
    );
  const added = await store.saveCases(task.run.id, rows.map(ratingRow));
  const after = await readTask(store, task.run.id);
  const summary = ratingSummary(
    { runId: task.run.id, source: task.source, against: task.against, rubric: task.rubric },
    after.items,
    after.ratings,
  );
  await store.saveRun({ ...task.run, summary });
  return { summary, added, blank, unchanged };
}
