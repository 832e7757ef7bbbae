import { isJsonObject } from '../core/json-object.js';
import { seededRandom } from '../core/random.js';
import { usageError } from '../core/errors.js';
import { evalRunOf, readCaseResults } from '../eval/stored-eval.js';
import type { CaseResult } from '../eval/case-result.js';
import type { CaseRow } from '../store/run-record.js';
import type { Store } from '../store/store.js';

/** One output to rate, as raters see it: no target, no scores, in an order of its own. */
export interface RatingItem {
  itemId: string;
  prompt: string;
  output: string;
  /** The eval case it came from (kept for the judge–human comparison; never shown or exported to raters). */
  caseId: string;
  /** The eval's own verdict on it (every scorer passed), and each scorer's; none on a pairwise item. */
  judged: { pass: boolean | null; scorers: Record<string, boolean | null> };
  /**
   * A pairwise item: `output` is shown first and `second` beside it; `swapped` when the first shown is the output of
   * the run compared against (B), so a rater's `first` means B (never shown or exported to raters).
   */
  pair?: { second: string; swapped: boolean };
}

/** One rater's rating of one item; a later revision of the same rater and item replaces it. */
export interface Rating {
  rater: string;
  itemId: string;
  value: number;
  comment: string;
  at: string;
  revision: number;
}

const ITEM_PREFIX = 'item:';
const RATING_PREFIX = 'rating:';

/** The answered cases of an eval run's first repeat; exit 2 for an unknown run or one of another kind. */
async function answeredCases(store: Store, runId: string): Promise<CaseResult[]> {
  const stored = await store.getRun(runId);
  if (stored === null)
    throw usageError(
      'RUN_NOT_FOUND',
      `no run with id '${runId}' in the store`,
      'list eval runs with `yardstick runs list --kind eval`',
    );
  const run = evalRunOf(stored);
  if (run === null)
    throw usageError(
      'RUN_KIND_MISMATCH',
      `run ${stored.id} is a ${stored.kind} run`,
      'rate the outputs of an eval run',
    );
  return (await readCaseResults(store, run.id)).filter((r) => r.repeat === 0 && r.status === 'ok');
}

/**
 * The items of a rating task over an eval run: each answered case of its first repeat, in a seeded random order,
 * numbered `i001`… in that order (so an item's name tells nothing of its case or target). With `against`, a pairwise
 * task: each case both runs answered, the two outputs side by side in a seeded random order per item.
 */
export async function itemsOf(
  store: Store,
  options: { source: string; against: string | null; seed: number; limit: number | null },
): Promise<RatingItem[]> {
  const answered = await answeredCases(store, options.source);
  const other =
    options.against === null ? null : new Map((await answeredCases(store, options.against)).map((r) => [r.caseId, r]));
  const random = seededRandom(options.seed);
  const order = answered
    .filter((r) => other === null || other.has(r.caseId))
    .map((r) => ({ r, key: random(), swap: other !== null && random() < 0.5 }))
    .sort((a, b) => a.key - b.key);
  const chosen = options.limit === null ? order : order.slice(0, options.limit);
  const width = Math.max(3, String(chosen.length).length);
  return chosen.map(({ r, swap }, i) => {
    const b = other?.get(r.caseId);
    return {
      itemId: `i${String(i + 1).padStart(width, '0')}`,
      prompt: r.prompt,
      output: b !== undefined && swap ? b.output : r.output,
      caseId: r.caseId,
      judged: {
        pass: b === undefined ? r.pass : null,
        scorers: b === undefined ? Object.fromEntries(Object.entries(r.scores).map(([name, s]) => [name, s.pass])) : {},
      },
      ...(b === undefined ? {} : { pair: { second: swap ? r.output : b.output, swapped: swap } }),
    };
  });
}

/** The item as a stored row of the task run. */
export function itemRow(item: RatingItem): CaseRow {
  return { caseId: `${ITEM_PREFIX}${item.itemId}`, repeat: 0, result: { kind: 'item', ...item } };
}

/** The rating as a stored row of the task run. */
export function ratingRow(rating: Rating): CaseRow {
  return {
    caseId: `${RATING_PREFIX}${rating.rater}:${rating.itemId}`,
    repeat: rating.revision,
    result: { kind: 'rating', ...rating },
  };
}

function isItem(value: unknown): value is RatingItem {
  return (
    isJsonObject(value) &&
    value.kind === 'item' &&
    typeof value.itemId === 'string' &&
    typeof value.prompt === 'string' &&
    typeof value.output === 'string' &&
    typeof value.caseId === 'string' &&
    isJsonObject(value.judged) &&
    (value.pair === undefined ||
      (isJsonObject(value.pair) && typeof value.pair.second === 'string' && typeof value.pair.swapped === 'boolean'))
  );
}

function isRating(value: unknown): value is Rating {
  return (
    isJsonObject(value) &&
    value.kind === 'rating' &&
    typeof value.rater === 'string' &&
    typeof value.itemId === 'string' &&
    typeof value.value === 'number' &&
    typeof value.comment === 'string' &&
    typeof value.revision === 'number'
  );
}

/** A task's items in their order, and its ratings (each rater's latest revision per item). */
export async function readTask(store: Store, taskRunId: string): Promise<{ items: RatingItem[]; ratings: Rating[] }> {
  const items: RatingItem[] = [];
  const latest = new Map<string, Rating>();
  for (const row of await store.listCases(taskRunId)) {
    if (isItem(row.result)) items.push(row.result);
    else if (isRating(row.result)) {
      const key = `${row.result.rater}\u0000${row.result.itemId}`;
      const earlier = latest.get(key);
      if (earlier === undefined || row.result.revision > earlier.revision) latest.set(key, row.result);
    }
  }
  return { items, ratings: [...latest.values()] };
}
