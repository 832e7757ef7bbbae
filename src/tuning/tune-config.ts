import { z } from 'zod';
import { durationMs, positiveInt } from '../config/fields.js';
import { describeIssue } from '../config/issues.js';
import { mergeSources } from '../config/yaml-source.js';
import { usageError } from '../core/errors.js';
import { spaceSize } from './search-space.js';

const parameterValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** A tuning study (`yardstick tune`; docs/training.md): a space of suite settings searched with the suite as objective. */
export const tuneConfigSchema = z.strictObject({
  /** The eval suite every trial runs, relative to this file. */
  suite: z.string().min(1),
  /** The suite target trials start from, by name (default its first); a `target` parameter overrides it. */
  target: z.string().min(1).optional(),
  /**
   * Each parameter's candidate values. `temperature`, `top_p`, `max_tokens`, `template`, `model` and `target` are
   * short names; any other name is a dotted path into the suite (`prompt.body.presence_penalty`).
   */
  space: z
    .record(z.string().regex(/^[A-Za-z_][\w.-]*$/), z.array(parameterValue).min(1))
    .refine((space) => Object.keys(space).length > 0, { message: 'name at least one parameter' }),
  search: z.enum(['grid', 'random', 'halving']).default('grid'),
  /** random and halving: how many configurations are drawn from the grid (all of them when it is smaller). */
  trials: positiveInt.max(10_000).optional(),
  seed: z.number().int().default(1),
  /** Evaluate on a seeded sample of this many of the suite's cases (all by default). */
  cases: positiveInt.optional(),
  /** halving: cases in the first rung. */
  minCases: positiveInt.default(10),
  /** halving: each rung keeps 1/eta of the configurations on eta times the cases. */
  eta: z.number().int().min(2).max(10).default(3),
  /** halving: the configurations the last rung keeps at least. */
  finalists: positiveInt.max(100).default(3),
  /** The accuracy metric (default accuracy, or pass_rate for a suite without labels). */
  metric: z.string().min(1).optional(),
  constraints: z
    .strictObject({
      minAccuracy: z.number().min(0).max(1).optional(),
      maxP95: durationMs.optional(),
      /** Cost per 1,000 requests. */
      budget: z.number().nonnegative().optional(),
    })
    .default({}),
  prefer: z.enum(['cost', 'latency', 'accuracy']).optional(),
  /** Requests in flight within a trial (default the suite's). */
  concurrency: positiveInt.max(1024).optional(),
});

export type TuneConfig = z.infer<typeof tuneConfigSchema>;

/** The largest space searched: configurations are drawn by index as JavaScript numbers. */
const MAX_SPACE = 2n ** 53n;

/** A tuning study from its file with the command line's settings laid over, every problem at once (exit 2). */
export function loadTuneConfig(path: string | null, overrides: Record<string, unknown>): TuneConfig {
  const { raw, where } = mergeSources({ path, overrides });
  const parsed = tuneConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => ({ where: where(issue.path), ...describeIssue(issue) }));
    throw usageError(
      'CONFIG_INVALID',
      `the tuning study has ${problems.length} problem${problems.length === 1 ? '' : 's'}`,
      'fix each one listed above; docs/training.md describes every field',
      problems,
    );
  }
  const size = spaceSize(parsed.data.space);
  if (size > MAX_SPACE)
    throw usageError(
      'CONFIG_INVALID',
      `the space holds ${size} configurations, more than ${MAX_SPACE}`,
      'search fewer values per parameter',
    );
  if (parsed.data.search === 'grid' && parsed.data.trials !== undefined)
    throw usageError(
      'CONFIG_INVALID',
      `${where(['trials'])}: trials applies to random and halving searches; a grid runs every configuration`,
      'drop trials, or use search: random',
    );
  return parsed.data;
}
