import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { messageOf, YardstickError } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';
import { evalRunOf, readCaseResults } from '../eval/stored-eval.js';
import { readTask } from '../rating/rating-task.js';
import { escapeHtml } from '../report/html/escape.js';
import { reportedRun, RUN_KINDS } from '../run-kinds/registry.js';
import { importRatings, ratingTask } from '../runs/rating-run.js';
import { ratingRunOf } from '../runs/stored-runs.js';
import type { RunListing } from '../store/run-record.js';
import type { Store } from '../store/store.js';
import { caseBrowserPage, caseFilterOf } from './case-browser.js';
import { page, ratePage, raterPage, runsPage } from './view-pages.js';

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

/** Largest form body accepted (a rating and its comment). */
const MAX_FORM_BYTES = 64 * 1024;

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function send(
  res: ServerResponse,
  status: number,
  html: string,
  nonce: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': `default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'nonce-${nonce}'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(html);
}

async function formOf(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const piece = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += piece.length;
    if (size > MAX_FORM_BYTES)
      throw new YardstickError({ code: 'FORM_TOO_LARGE', message: 'the form is too large', exitCode: ExitCode.usage });
    chunks.push(piece);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/** The runs list sorted by a column (`kind`, `status`, `target`; newest first otherwise). */
function sortedRuns(runs: RunListing[], by: string | null): RunListing[] {
  const key = (r: RunListing): string =>
    by === 'kind' ? r.kind : by === 'status' ? r.status : by === 'target' ? r.targetName : '';
  return by === 'kind' || by === 'status' || by === 'target'
    ? [...runs].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
    : runs;
}

function cookieToken(req: IncomingMessage): string | null {
  const match = /(?:^|;\s*)ys_token=([^;]+)/.exec(req.headers.cookie ?? '');
  return match?.[1] ?? null;
}

/**
 * `yardstick view`: a local web UI over the store — the runs, each run's report, and rating pages. Pages are
 * rendered on the server with every stored string escaped, under a strict Content-Security-Policy (no script but the
 * rating page's own, by nonce; nothing loaded from elsewhere); forms carry a per-server token against cross-site
 * requests, and beyond loopback every request needs the access token printed at start.
 */
export async function startViewServer(options: ViewOptions): Promise<ViewServer> {
  const { store } = options;
  const csrf = randomBytes(18).toString('base64url');
  const kinds = RUN_KINDS.map((k) => k.kind);
  const server = createServer((req, res) => {
    const nonce = randomBytes(12).toString('base64');
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://view.invalid');
      if (options.token !== null) {
        const given = url.searchParams.get('token') ?? cookieToken(req);
        if (given === null || !same(given, options.token))
          return send(
            res,
            403,
            page('Forbidden', '<h1>Forbidden</h1><p>Open the address printed at start, with its token.</p>', nonce),
            nonce,
          );
      }
      const auth: Record<string, string> =
        options.token === null ? {} : { 'set-cookie': `ys_token=${options.token}; HttpOnly; SameSite=Strict; Path=/` };
      const parts = url.pathname
        .split('/')
        .filter((p) => p !== '')
        .map(decodeURIComponent);
      if (req.method === 'GET' && parts.length === 0) {
        const kind = url.searchParams.get('kind');
        const runs = sortedRuns(
          store.listRuns({ limit: 500, ...(kind === null || kind === '' ? {} : { kind }) }),
          url.searchParams.get('sort'),
        );
        return send(res, 200, runsPage(runs, kinds, kind === '' ? null : kind, nonce), nonce, auth);
      }
      if (req.method === 'GET' && parts[0] === 'runs' && parts[2] === 'cases' && parts.length === 3) {
        const run = store.getRun(parts[1] ?? '');
        if (run === null || evalRunOf(run) === null)
          return send(res, 404, page('Not found', '<h1>No such eval run</h1>', nonce), nonce, auth);
        const results = readCaseResults(store, run.id);
        return send(res, 200, caseBrowserPage(run.id, results, caseFilterOf(url.searchParams), nonce), nonce, auth);
      }
      if (req.method === 'GET' && parts[0] === 'runs' && parts.length === 2) {
        const run = store.getRun(parts[1] ?? '');
        if (run === null) return send(res, 404, page('Not found', '<h1>No such run</h1>', nonce), nonce, auth);
        const { renderReport } = await import('../report/html/render-report.js');
        return send(res, 200, renderReport([await reportedRun(run, store)]), nonce, auth);
      }
      if (parts[0] === 'rate' && parts.length === 2) {
        const taskId = parts[1] ?? '';
        if (req.method === 'POST') {
          const form = await formOf(req);
          const origin = req.headers.origin;
          const host = req.headers.host ?? '';
          if (!same(form.get('csrf') ?? '', csrf) || (origin !== undefined && origin !== `http://${host}`))
            return send(
              res,
              403,
              page('Forbidden', '<h1>Forbidden</h1><p>The form did not come from this page.</p>', nonce),
              nonce,
            );
          const rater = form.get('rater') ?? '';
          if (!RATER_NAME.test(rater))
            return send(
              res,
              400,
              page('Bad name', '<h1>That name cannot rate</h1><p>Use letters, digits, _, . and -.</p>', nonce),
              nonce,
              auth,
            );
          importRatings(
            store,
            taskId,
            [
              {
                line: 1,
                fields: {
                  item: form.get('item') ?? '',
                  rating: form.get('rating') ?? '',
                  comment: form.get('comment') ?? '',
                },
              },
            ],
            { path: 'the form', rater },
          );
          res.writeHead(303, {
            location: `/rate/${encodeURIComponent(taskId)}?rater=${encodeURIComponent(rater)}`,
            ...auth,
          });
          return void res.end();
        }
        const rater = url.searchParams.get('rater');
        const task = ratingTask(store, taskId);
        if (rater === null || !RATER_NAME.test(rater))
          return send(res, 200, raterPage(task.run.id, nonce), nonce, auth);
        const { items, ratings } = readTask(store, task.run.id);
        const summary = ratingRunOf(store.getRun(task.run.id) ?? task.run)?.summary ?? null;
        return send(
          res,
          200,
          ratePage({ taskId: task.run.id, rubric: task.rubric, rater, items, ratings, summary, csrf, nonce }),
          nonce,
          auth,
        );
      }
      return send(res, 404, page('Not found', '<h1>Not found</h1>', nonce), nonce);
    })().catch((error: unknown) => {
      const status = error instanceof YardstickError && error.exitCode === ExitCode.usage ? 400 : 500;
      const problems =
        error instanceof YardstickError
          ? error.problems.map((p) => `<li>${escapeHtml(`${p.field}: ${p.message}`)}</li>`).join('')
          : '';
      if (!res.headersSent)
        send(
          res,
          status,
          page('Error', `<h1>That did not work</h1><p>${escapeHtml(messageOf(error))}</p><ul>${problems}</ul>`, nonce),
          nonce,
        );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}/${options.token === null ? '' : `?token=${options.token}`}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
