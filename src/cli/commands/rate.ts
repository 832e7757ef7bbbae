import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { usageError } from '../../core/errors.js';
import { readRecords } from '../../data/read-records.js';
import { readTask } from '../../rating/rating-task.js';
import { parseRubric } from '../../accuracy/rubric.js';
import { renderRating } from '../../report/console-rating.js';
import { ratingSheet, ratingsExport } from '../../report/rating-sheet.js';
import { createRatingTask, importRatings, ratingTask } from '../../runs/rating-run.js';
import { ratingRunOf } from '../../runs/stored-runs.js';
import { integerFlag } from '../flags.js';
import { printJson } from '../output.js';
import type { GlobalOptions } from '../global-options.js';
import { withStore } from '../with-store.js';

function formatOf(text: string | undefined, path: string | undefined): 'csv' | 'jsonl' {
  const format = text ?? (path?.endsWith('.jsonl') === true ? 'jsonl' : 'csv');
  if (format !== 'csv' && format !== 'jsonl')
    throw usageError('FLAG_INVALID', `--format '${format}' is not csv or jsonl`, 'e.g. --format jsonl');
  return format;
}

/** `yardstick rate create|export|import|show`: people rate an eval run's outputs, and how far they agree is measured. */
export function registerRate(program: Command, globals: () => GlobalOptions): void {
  const rate = program
    .command('rate')
    .description(
      "human evaluation: a blind rating task over an eval run's outputs, ratings from raters (or a labelling tool) imported, and their agreement — Cohen's and Fleiss' kappa, Krippendorff's alpha with intervals — and the eval's agreement with them",
    );

  rate
    .command('create')
    .argument('<evalRun>', 'the eval run whose outputs are rated (A, with --against)')
    .option(
      '--rubric <rubric>',
      "pass-fail, scale:1-5, or labels:a,b,c (default: the suite's rating: section, else pass-fail)",
    )
    .option('--question <text>', "what raters are asked, shown above every item (default: the suite's)")
    .option(
      '--against <evalRun>',
      'pairwise: rate which of two runs answered each case better (B), outputs side by side in a random order',
    )
    .option('--seed <n>', "the items' order (and, pairwise, which side each output is shown on)", '1')
    .option('--limit <n>', 'rate only this many (a seeded choice)')
    .option('--json', 'print the JSON task')
    .description(
      'create a rating task: each answered case of the run as an item, blind and in a random order; with --against, each case both runs answered as a pair',
    )
    .addHelpText(
      'after',
      `
Examples:
  yardstick rate create EVAL_RUN --rubric scale:1-5 --question 'How helpful is the answer?'
  yardstick rate create EVAL_RUN_A --against EVAL_RUN_B          # pairwise: first (1), second (2) or tie`,
    )
    .action(
      async (
        source: string,
        flags: { rubric?: string; question?: string; against?: string; seed: string; limit?: string; json?: boolean },
      ) => {
        const rubric = flags.rubric === undefined ? null : parseRubric(flags.rubric);
        const seed = integerFlag('seed', flags.seed, 0);
        const limit = flags.limit === undefined ? null : integerFlag('limit', flags.limit, 1);
        await withStore(globals, async (store) => {
          const summary = await createRatingTask(store, {
            source,
            against: flags.against ?? null,
            rubric,
            question: flags.question ?? null,
            seed,
            limit,
          });
          if (flags.json === true) return printJson(summary);
          const of = summary.against === null ? `run ${source}` : `runs ${source} (A) and ${summary.against} (B)`;
          process.stdout.write(
            `rating task ${summary.runId}: ${summary.items} items of ${of}, rubric ${summary.rubric}\nnext: open /rate/${summary.runId} in \`yardstick view\`, or yardstick rate export ${summary.runId} -o sheet.csv, fill in the rating column, then yardstick rate import ${summary.runId} sheet.csv --rater NAME\n`,
          );
        });
      },
    );

  rate
    .command('export')
    .argument('<task>', 'the rating task')
    .option('--format <format>', 'csv or jsonl (default from -o, else csv)')
    .option('--ratings', 'the ratings kept (rater, item, rating, comment, time) instead of the sheet to fill in')
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .description('the sheet raters fill in (item, prompt, output, rating, comment) or, with --ratings, every rating')
    .action(async (id: string, flags: { format?: string; ratings?: boolean; output?: string }) => {
      const format = formatOf(flags.format, flags.output);
      await withStore(globals, async (store) => {
        const task = await ratingTask(store, id);
        const { items, ratings } = await readTask(store, task.run.id);
        const text = flags.ratings === true ? ratingsExport(task.rubric, ratings, format) : ratingSheet(items, format);
        if (flags.output === undefined) process.stdout.write(text);
        else writeFileSync(flags.output, text);
      });
    });

  rate
    .command('import')
    .argument('<task>', 'the rating task')
    .argument('<file>', 'ratings: CSV, TSV or JSONL with item and rating columns (rater and comment optional)')
    .option('--rater <name>', "the rater, for a file of one rater's ratings without a rater column")
    .option('--json', 'print the JSON summary')
    .description(
      'add ratings (a filled-in sheet, or a labelling tool’s export); a changed rating becomes a new revision',
    )
    .action(async (id: string, path: string, flags: { rater?: string; json?: boolean }) => {
      const records = readRecords(path);
      await withStore(globals, async (store) => {
        const result = await importRatings(store, id, records, { path, rater: flags.rater ?? null });
        if (flags.json === true) return printJson(result.summary);
        process.stdout.write(
          `${result.added} rating${result.added === 1 ? '' : 's'} added, ${result.unchanged} unchanged, ${result.blank} rows without a rating\n${renderRating(result.summary)}\n`,
        );
      });
    });

  rate
    .command('show')
    .argument('<task>', 'the rating task')
    .option('--json', 'print the JSON summary')
    .description("the raters' agreement, their verdict, and the eval's agreement with them")
    .action(async (id: string, flags: { json?: boolean }) => {
      await withStore(globals, async (store) => {
        const summary = ratingRunOf((await ratingTask(store, id)).run)?.summary ?? null;
        if (summary === null)
          throw usageError(
            'STORE_DAMAGED',
            `rating task ${id} has no summary yardstick can read`,
            'create the task again',
          );
        if (flags.json === true) return printJson(summary);
        process.stdout.write(`${renderRating(summary)}\n`);
      });
    });
}
