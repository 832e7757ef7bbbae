import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { getCookie, setCookie } from 'hono/cookie';
import { csrf } from 'hono/csrf';
import { HTTPException } from 'hono/http-exception';
import { NONCE, secureHeaders } from 'hono/secure-headers';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { parseRubric, rubricText } from '../accuracy/rubric.js';
import { messageOf, usageError, YardstickError } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';
import { evalRunOf, readCaseResults } from '../eval/stored-eval.js';
import { readTask } from '../rating/rating-task.js';
import { escapeHtml } from '../report/html/escape.js';
import { reportedRun, runKindOf, RUN_KINDS } from '../run-kinds/registry.js';
import { createRatingTask, importRatings, ratingTask, suiteRating } from '../runs/rating-run.js';
import { ratingRunOf } from '../runs/stored-runs.js';
import type { RunListing } from '../store/run-record.js';
import type { Store } from '../store/store.js';
import { caseBrowserPage, caseFilterOf } from './case-browser.js';
import { newTaskPage, page, ratePage, raterPage, runsPage } from './view-pages.js';
import { HeadlineCache } from './headline-cache.js';

export interface ViewOptions {
  store: Store;
  host: string;
  port: number;
  /** Required of every request (as `?token=` once, then a cookie) when serving beyond loopback; null on loopback. */
  token: string | null;
}

export interface ViewServer {
  url: string;
  close(): Promise<void>;
}

/** A rater's name in the viewer: it goes into addresses and forms as it is. */
const RATER_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

/** Runs the list shows at most (the newest; a kind filter reaches older ones). */
const LISTED_RUNS = 200;

/** Largest form body accepted (a rating and its comment). */
const MAX_FORM_BYTES = 64 * 1024;

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The runs list sorted by a column (`kind`, `status`, `target`; newest first otherwise). */
function sortedRuns(runs: RunListing[], by: string | undefined): RunListing[] {
  const key = (r: RunListing): string =>
    by === 'kind' ? r.kind : by === 'status' ? r.status : by === 'target' ? r.targetName : '';
  return by === 'kind' || by === 'status' || by === 'target'
    ? [...runs].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
    : runs;
}

/** The nonce the page's one script (if any) carries: set for each request by the Content-Security-Policy. */
function nonceOf(c: Context): string {
  return c.get('secureHeadersNonce') ?? '';
}

function htmlPage(c: Context, status: ContentfulStatusCode, title: string, body: string): Response {
  return c.html(page(title, body, nonceOf(c)), status);
}

/** A report page with the viewer's links above it: back to the runs, and to an eval run's cases. */
function withNav(html: string, links: readonly [href: string, text: string][]): string {
  const nav = [['/', 'runs'], ...links]
    .map(
      ([href, text]) => `<a href="${escapeHtml(href ?? '')}" style="margin-right:1rem">${escapeHtml(text ?? '')}</a>`,
    )
    .join('');
  return html.replace('<body>', `<body><nav>${nav}</nav>`);
}

/** One text field of a submitted form ('' when missing or a file; the first of several). */
function field(form: Record<string, unknown>, name: string): string {
  const value = form[name];
  const first: unknown = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : '';
}

/**
 * The viewer's routes on Hono: the runs list, each run's report and case browser, two runs compared, and the rating
 * pages. Pages are rendered on the server with every stored string escaped (the report's own rendering), under a
 * strict Content-Security-Policy (no script but the rating page's own, by nonce; nothing loaded from elsewhere);
 * state-changing requests must come from this origin and carry this server's form token, and beyond loopback every
 * request needs the access token printed at start.
 */
export function viewApp(options: ViewOptions): Hono {
  const { store } = options;
  const formToken = randomBytes(18).toString('base64url');
  const kinds = RUN_KINDS.map((k) => k.kind);
  const app = new Hono();
  const headlines = new HeadlineCache();
  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'none'"],
        styleSrc: ["'unsafe-inline'"],
        imgSrc: ['data:'],
        scriptSrc: [NONCE],
        formAction: ["'self'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
      },
      referrerPolicy: 'same-origin',
      strictTransportSecurity: false,
    }),
  );
  app.use(async (c, next) => {
    if (options.token !== null) {
      const given = c.req.query('token') ?? getCookie(c, 'ys_token');
      if (given === undefined || !same(given, options.token))
        return htmlPage(
          c,
          403,
          'Forbidden',
          '<h1>Forbidden</h1><p>Open the address printed at start, with its token.</p>',
        );
      setCookie(c, 'ys_token', options.token, { httpOnly: true, sameSite: 'Strict', path: '/' });
    }
    c.header('cache-control', 'no-store');
    return next();
  });
  app.use(csrf());
  app.use(
    bodyLimit({
      maxSize: MAX_FORM_BYTES,
      onError: (c) => htmlPage(c, 400, 'Too large', '<h1>That form is too large</h1>'),
    }),
  );

  app.get('/', async (c) => {
    const kind = c.req.query('kind');
    const runs = sortedRuns(
      await store.listRuns({ limit: LISTED_RUNS, ...(kind === undefined || kind === '' ? {} : { kind }) }),
      c.req.query('sort'),
    );
    const rows = [];
    for (const listing of runs) {
      const headline = await headlines.of(listing, async () => {
        const run = await store.getRun(listing.id);
        return run === null ? null : (runKindOf(run.kind)?.headline(run) ?? null);
      });
      rows.push({ ...listing, headline });
    }
    return c.html(runsPage(rows, kinds, kind === undefined || kind === '' ? null : kind, nonceOf(c)));
  });

  app.get('/runs/:id/cases', async (c) => {
    const run = await store.getRun(c.req.param('id'));
    if (run === null || evalRunOf(run) === null) return htmlPage(c, 404, 'Not found', '<h1>No such eval run</h1>');
    const results = await readCaseResults(store, run.id);
    const params = new URL(c.req.url).searchParams;
    return c.html(caseBrowserPage(run.id, results, caseFilterOf(params), nonceOf(c)));
  });

  app.get('/runs/:id', async (c) => {
    const run = await store.getRun(c.req.param('id'));
    if (run === null) return htmlPage(c, 404, 'Not found', '<h1>No such run</h1>');
    const { renderReport } = await import('../report/html/render-report.js');
    const cases: [string, string][] =
      evalRunOf(run) === null ? [] : [[`/runs/${encodeURIComponent(run.id)}/cases`, 'cases']];
    return c.html(withNav(renderReport([await reportedRun(run, store)]), cases));
  });

  app.get('/compare', async (c) => {
    const ids = c.req.queries('run') ?? [];
    const [a, b] = ids;
    if (ids.length !== 2 || a === undefined || b === undefined)
      return htmlPage(
        c,
        400,
        'Pick two runs',
        `<h1>Pick two runs</h1><p>Tick two runs in the <a href="/">runs list</a> (A, then B) and press compare; ${ids.length} were given.</p>`,
      );
    const { comparisonOf } = await import('../report/html/report-comparison.js');
    const { renderReport } = await import('../report/html/render-report.js');
    const comparison = await comparisonOf(store, a, b, 'compare');
    const runs = (await Promise.all([a, b].map((id) => store.getRun(id)))).flatMap((run) =>
      run === null ? [] : [run],
    );
    const reported = await Promise.all(runs.map((run) => reportedRun(run, store)));
    return c.html(withNav(renderReport(reported, comparison), []));
  });

  app.get('/rate/new', async (c) => {
    const ids = c.req.queries('run') ?? [];
    const [source] = ids;
    if (source === undefined || ids.length > 2)
      return htmlPage(
        c,
        400,
        'Pick one or two runs',
        `<h1>Pick one or two eval runs</h1><p>Tick one eval run in the <a href="/">runs list</a> to rate its outputs, or two to rate them pairwise (the upper one is A); ${ids.length} were ticked.</p>`,
      );
    const declared = await suiteRating(store, source);
    return c.html(
      newTaskPage({
        runs: ids,
        rubric: declared.rubric === null ? 'pass-fail' : rubricText(declared.rubric),
        question: declared.question ?? '',
        csrf: formToken,
        nonce: nonceOf(c),
      }),
    );
  });

  app.post('/rate', async (c) => {
    const form = await c.req.parseBody({ all: true });
    if (!same(field(form, 'csrf'), formToken))
      return htmlPage(c, 403, 'Forbidden', '<h1>Forbidden</h1><p>The form did not come from this page.</p>');
    const ticked = form.run;
    const ids = (Array.isArray(ticked) ? ticked : [ticked]).filter((id): id is string => typeof id === 'string');
    const [source, against] = ids;
    if (source === undefined || ids.length > 2)
      return htmlPage(c, 400, 'Pick one or two runs', '<h1>Pick one or two eval runs</h1>');
    const rubric = field(form, 'rubric').trim();
    const question = field(form, 'question').trim();
    const limitText = field(form, 'limit').trim();
    const limit = limitText === '' ? null : Number(limitText);
    if (limit !== null && !(Number.isInteger(limit) && limit >= 1))
      throw usageError(
        'FLAG_INVALID',
        `'${limitText}' is not a number of items`,
        'a whole number of 1 or more, or empty for all',
      );
    const summary = await createRatingTask(store, {
      source,
      against: against ?? null,
      rubric: against !== undefined || rubric === '' ? null : parseRubric(rubric),
      question: question === '' ? null : question,
      seed: 1,
      limit,
    });
    return c.redirect(`/rate/${encodeURIComponent(summary.runId)}`, 303);
  });

  app.get('/rate/:task', async (c) => {
    const rater = c.req.query('rater');
    const task = await ratingTask(store, c.req.param('task'));
    if (rater === undefined || !RATER_NAME.test(rater)) return c.html(raterPage(task.run.id, nonceOf(c)));
    const { items, ratings } = await readTask(store, task.run.id);
    const summary = ratingRunOf((await store.getRun(task.run.id)) ?? task.run)?.summary ?? null;
    return c.html(
      ratePage({
        taskId: task.run.id,
        rubric: task.rubric,
        question: task.question,
        rater,
        items,
        ratings,
        summary,
        csrf: formToken,
        nonce: nonceOf(c),
      }),
    );
  });

  app.post('/rate/:task', async (c) => {
    const form = await c.req.parseBody();
    if (!same(field(form, 'csrf'), formToken))
      return htmlPage(c, 403, 'Forbidden', '<h1>Forbidden</h1><p>The form did not come from this page.</p>');
    const rater = field(form, 'rater');
    if (!RATER_NAME.test(rater))
      return htmlPage(c, 400, 'Bad name', '<h1>That name cannot rate</h1><p>Use letters, digits, _, . and -.</p>');
    const taskId = c.req.param('task');
    await importRatings(
      store,
      taskId,
      [
        {
          line: 1,
          fields: { item: field(form, 'item'), rating: field(form, 'rating'), comment: field(form, 'comment') },
        },
      ],
      { path: 'the form', rater },
    );
    return c.redirect(`/rate/${encodeURIComponent(taskId)}?rater=${encodeURIComponent(rater)}`, 303);
  });

  app.notFound((c) => htmlPage(c, 404, 'Not found', '<h1>Not found</h1>'));
  app.onError((error, c) => {
    // Hono's own refusals (a cross-site form, a body over the limit) keep their status.
    if (error instanceof HTTPException)
      return htmlPage(
        c,
        error.status,
        'Refused',
        `<h1>Refused</h1><p>${escapeHtml(error.message || 'This request is not allowed here.')}</p>`,
      );
    const usage = error instanceof YardstickError && error.exitCode === ExitCode.usage;
    const problems =
      error instanceof YardstickError
        ? error.problems.map((p) => `<li>${escapeHtml(`${p.field}: ${p.message}`)}</li>`).join('')
        : '';
    return htmlPage(
      c,
      usage ? 400 : 500,
      'Error',
      `<h1>That did not work</h1><p>${escapeHtml(messageOf(error))}</p><ul>${problems}</ul>`,
    );
  });
  return app;
}

/** `yardstick view`: serves the viewer's routes until closed. */
export async function startViewServer(options: ViewOptions): Promise<ViewServer> {
  const app = viewApp(options);
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const started = serve({ fetch: app.fetch, hostname: options.host, port: options.port }, () => resolve(started));
    started.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}/${options.token === null ? '' : `?token=${options.token}`}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
