import type { ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RatingJson } from '../src/rating/agreement-summary.js';
import { launchChromium, noBrowser, pageErrors, TEST_OUTPUT } from './helpers/browser.js';
import { freshDir, runCli } from './helpers/cli.js';
import { startSimulator } from '../src/simulator/server.js';
import { dirWithPackage } from './helpers/package-dir.js';

const OUTPUT = TEST_OUTPUT;
const HOSTILE = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">';

/** Right on "loved" reviews; on r3 it answers with markup that must stay text wherever it is shown. */
const MODEL = `import { functionTarget } from 'yardstick/eval';
export function keywords() {
  return functionTarget({
    name: 'keywords',
    answer: (r) => (/r3/.test(r.prompt) ? ${JSON.stringify(HOSTILE)} : /loved/i.test(r.prompt) ? 'positive' : 'negative'),
  });
}
`;

async function prepared(): Promise<{ dir: string; evalRun: string; task: string }> {
  const dir = dirWithPackage();
  writeFileSync(join(dir, 'keywords.mjs'), MODEL);
  writeFileSync(
    join(dir, 'suite.yaml'),
    [
      'name: reviews',
      'cases:',
      '  - { id: r1, text: "r1 I loved it", expected: positive }',
      '  - { id: r2, text: "r2 a dull film", expected: negative }',
      '  - { id: r3, text: "r3 we loved it", expected: positive }',
      '  - { id: r4, text: "r4 a mess", expected: negative }',
      'prompt: { text: "Review {{text}}" }',
      'targets: [{ kind: custom, module: keywords.mjs, export: keywords }]',
      'scorers: [{ type: choice, choices: [positive, negative] }]',
      '',
    ].join('\n'),
  );
  const evaluated = await runCli(['eval', 'suite.yaml', '--json'], { cwd: dir });
  const evalRun = (JSON.parse(evaluated.stdout) as { runId: string }).runId;
  const created = await runCli(['rate', 'create', evalRun, '--json'], { cwd: dir });
  const task = (JSON.parse(created.stdout) as RatingJson).runId;
  // Alice has rated every item already: pass unless the output is the markup.
  const sheet = await runCli(['rate', 'export', task, '--format', 'jsonl'], { cwd: dir });
  const rows = sheet.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { item: string; output: string });
  writeFileSync(
    join(dir, 'alice.jsonl'),
    rows.map((r) => JSON.stringify({ item: r.item, rating: r.output.includes('<') ? 'fail' : 'pass' })).join('\n'),
  );
  await runCli(['rate', 'import', task, 'alice.jsonl', '--rater', 'alice'], { cwd: dir });
  return { dir, evalRun, task };
}

/** Starts `yardstick view` on a free port and resolves with its address once it prints it. */
function startView(dir: string, args: string[] = []): Promise<{ url: string; child: ChildProcess }> {
  return new Promise((resolvePromise, reject) => {
    let child: ChildProcess | null = null;
    void runCli(['view', ...args], {
      cwd: dir,
      onSpawn: (spawned) => {
        child = spawned;
        let out = '';
        spawned.stdout?.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const url = /^(http\S+)\n/.exec(out)?.[1];
          if (url !== undefined && child !== null) resolvePromise({ url, child });
        });
      },
    }).then((result) => reject(new Error(`view exited early: ${result.stderr}`)));
  });
}

describe.skipIf(noBrowser)('yardstick view', () => {
  it('lists runs, shows a report, and lets a rater rate with the keyboard until the agreement appears', async () => {
    const { dir, evalRun, task } = await prepared();
    const { url, child } = await startView(dir);
    const browser = await launchChromium();
    try {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const page = await browser.newPage();
      const errors = pageErrors(page);
      const foreign: string[] = [];
      page.on('request', (r) => {
        if (!r.url().startsWith(url)) foreign.push(r.url());
      });
      mkdirSync(OUTPUT, { recursive: true });

      await page.goto(url);
      expect(await page.textContent('table')).toContain(evalRun);
      // Each run's headline numbers: the eval's pass rate (3 of 4), the task's items and raters.
      expect(await page.textContent('table')).toContain('pass rate 0.750 · 4/4 answered');
      expect(await page.textContent('table')).toContain('4 items · 1 rater');
      expect(await page.locator(`a[href="/rate/${task}"]`).count()).toBe(1);
      await page.screenshot({ path: join(OUTPUT, 'view-runs.png'), fullPage: true });

      await page.goto(`${url}runs/${evalRun}`);
      expect(await page.textContent('h3')).toContain('reviews');
      expect(await page.locator(`nav a[href="/runs/${evalRun}/cases"]`).count()).toBe(1);
      // The case browser: the one failing case (the markup answer), found by outcome and by search, shown as text.
      await page.goto(`${url}runs/${evalRun}/cases?outcome=fail`);
      expect(await page.textContent('#count')).toBe('1 of 4 cases');
      await page.goto(`${url}runs/${evalRun}/cases?q=dull`);
      expect(await page.textContent('#count')).toBe('1 of 4 cases');
      await page.goto(`${url}runs/${evalRun}/cases?q=${encodeURIComponent('<script>')}`);
      expect(await page.textContent('#count')).toBe('1 of 4 cases');
      expect(await page.evaluate('globalThis.__pwned ?? null')).toBeNull();
      await page.screenshot({ path: join(OUTPUT, 'view-cases.png'), fullPage: true });

      await page.goto(`${url}rate/${task}?rater=carol`);
      expect(await page.textContent('#progress')).toContain('0 of 4 rated by carol');
      await page.screenshot({ path: join(OUTPUT, 'view-rate.png'), fullPage: true });
      // Carol rates with the keyboard: pass on each item, except fail on the markup.
      for (let i = 0; i < 4; i += 1) {
        const output = (await page.textContent('#output')) ?? '';
        await Promise.all([
          page.waitForLoadState('load'),
          page.waitForURL(/rater=carol/),
          page.keyboard.press(output.includes('<') ? 'f' : 'p'),
        ]);
        await page.waitForSelector('#progress');
      }
      expect(await page.textContent('h1')).toBe('All rated');
      expect(await page.textContent('#agreement')).toContain("Cohen's kappa alice × carol: 1.000");
      await page.screenshot({ path: join(OUTPUT, 'view-agreement.png'), fullPage: true });
      const pwned: unknown = await page.evaluate('globalThis.__pwned ?? null');
      expect(pwned).toBeNull();
      expect(errors).toEqual([]);
      expect(foreign).toEqual([]);

      // A form from elsewhere (no token of this server) changes nothing.
      const forged = await fetch(`${url}rate/${task}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://evil.example' },
        body: 'csrf=guess&rater=mallory&item=i001&rating=pass',
      });
      expect(forged.status).toBe(403);
      const shown = await runCli(['rate', 'show', task, '--json'], { cwd: dir });
      expect((JSON.parse(shown.stdout) as RatingJson).raters.map((r) => r.name)).toEqual(['alice', 'carol']);
    } finally {
      await browser.close();
      child.kill('SIGINT');
    }
  }, 90_000);

  it('compares two ticked runs, and lets a rater choose the better of two blind outputs with the keyboard', async () => {
    const { dir, evalRun } = await prepared();
    writeFileSync(
      join(dir, 'always.mjs'),
      `import { functionTarget } from 'yardstick/eval';\nexport function always() {\n  return functionTarget({ name: 'always', answer: () => 'positive' });\n}\n`,
    );
    writeFileSync(
      join(dir, 'always.yaml'),
      readFileSync(join(dir, 'suite.yaml'), 'utf8')
        .replace('module: keywords.mjs, export: keywords', 'module: always.mjs, export: always')
        .concat('rating: { question: "Which label is right?" }\n'),
    );
    const other = await runCli(['eval', 'always.yaml', '--json'], { cwd: dir });
    const otherRun = (JSON.parse(other.stdout) as { runId: string }).runId;
    const { url, child } = await startView(dir);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const errors = pageErrors(page);
      mkdirSync(OUTPUT, { recursive: true });

      // Tick the two eval runs in the list and compare them: paired tests, and the cases that flipped.
      await page.goto(`${url}?kind=eval`);
      await page.check(`input[name="run"][value="${otherRun}"]`);
      await page.check(`input[name="run"][value="${evalRun}"]`);
      await Promise.all([page.waitForURL(/\/compare\?/), page.click('#compare')]);
      const compared = (await page.textContent('body')) ?? '';
      expect(compared).toContain('comparison');
      expect(compared).toContain('B − A per metric with paired 95% intervals (n = 4)');
      expect(compared).toContain('1 case passed in A and failed in B; 2 the reverse');
      expect(await page.evaluate('globalThis.__pwned ?? null')).toBeNull();
      await page.screenshot({ path: join(OUTPUT, 'view-compare.png'), fullPage: true });
      const one = await fetch(`${url}compare?run=${evalRun}`);
      expect(one.status).toBe(400);

      // Pairwise, created in the page: tick always-positive (A, the newer, upper one) and keywords (B), rate them.
      await page.goto(`${url}?kind=eval`);
      await page.check(`input[name="run"][value="${otherRun}"]`);
      await page.check(`input[name="run"][value="${evalRun}"]`);
      await Promise.all([page.waitForURL(/\/rate\/new\?/), page.click('#rate')]);
      // The question comes from A's suite.
      expect(await page.inputValue('#question')).toBe('Which label is right?');
      await page.screenshot({ path: join(OUTPUT, 'view-new-task.png'), fullPage: true });
      await Promise.all([page.waitForURL(/\/rate\/\d{8}-\d{6}-\w+$/), page.click('#create')]);
      const task = new URL(page.url()).pathname.split('/')[2] ?? '';
      await page.fill('input[name="rater"]', 'dana');
      await Promise.all([page.waitForURL(/rater=dana/), page.keyboard.press('Enter')]);
      // The rater picks the right label by its key, or t.
      const truth: Record<string, string> = { r1: 'positive', r2: 'negative', r3: 'positive', r4: 'negative' };
      expect(await page.textContent('#question')).toBe('Which label is right?');
      await page.screenshot({ path: join(OUTPUT, 'view-rate-pairwise.png'), fullPage: true });
      for (let i = 0; i < 4; i += 1) {
        const id = /\br\d\b/.exec((await page.textContent('#prompt')) ?? '')?.[0] ?? '';
        const first = (await page.textContent('#output-1')) === truth[id];
        const second = (await page.textContent('#output-2')) === truth[id];
        await Promise.all([
          page.waitForURL(/rater=dana/),
          page.keyboard.press(first === second ? 't' : first ? '1' : '2'),
        ]);
        await page.waitForSelector('#progress');
      }
      expect(await page.textContent('h1')).toBe('All rated');
      // r1: both positive (tie); r2, r4: keywords right (B); r3: keywords answers markup, always-positive right (A).
      expect(await page.textContent('#agreement')).toContain('raters prefer B on 2, A on 1, tie on 1');
      expect(await page.evaluate('globalThis.__pwned ?? null')).toBeNull();
      await page.screenshot({ path: join(OUTPUT, 'view-preference.png'), fullPage: true });
      expect(errors).toEqual([]);
      const shown = await runCli(['rate', 'show', task, '--json'], { cwd: dir });
      expect(JSON.parse(shown.stdout) as RatingJson).toMatchObject({ source: otherRun, against: evalRun, items: 4 });
      // Three ticked runs cannot be rated; a task form from elsewhere changes nothing.
      const three = await fetch(`${url}rate/new?run=${otherRun}&run=${evalRun}&run=${task}`);
      expect(three.status).toBe(400);
      const forged = await fetch(`${url}rate`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://evil.example' },
        body: `run=${evalRun}`,
      });
      expect(forged.status).toBe(403);
      // A number of items that is not one is refused with the reason, and no task is made.
      const form = await (await fetch(`${url}rate/new?run=${evalRun}`)).text();
      const csrf = /name="csrf" value="([^"]+)"/.exec(form)?.[1] ?? '';
      expect(csrf).not.toBe('');
      const tasksBefore = (await runCli(['runs', 'list', '--kind', 'rating'], { cwd: dir })).stdout;
      const badLimit = await fetch(`${url}rate`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: new URL(url).origin },
        body: `run=${evalRun}&csrf=${encodeURIComponent(csrf)}&limit=three`,
      });
      expect(badLimit.status).toBe(400);
      expect(await badLimit.text()).toContain('&#39;three&#39; is not a number of items');
      expect((await runCli(['runs', 'list', '--kind', 'rating'], { cwd: dir })).stdout).toBe(tasksBefore);
    } finally {
      await browser.close();
      child.kill('SIGINT');
    }
  }, 120_000);

  it("shows a sweep's charts, the report's own, and compares two bench runs", async () => {
    const dir = freshDir();
    const sim = await startSimulator({ ttftMs: 20, itlMs: 2 });
    try {
      const bench = async (args: string[]): Promise<string> => {
        const result = await runCli(['bench', '--url', `${sim.url}/v1`, '--model', 'sim', ...args, '--json'], {
          cwd: dir,
        });
        expect(result.code, result.stderr).toBe(0);
        return (JSON.parse(result.stdout) as { runId: string }).runId;
      };
      const sweep = await bench(['--profile', 'sweep', '--steps', '2', '--duration', '1s', '--output-tokens', '8']);
      const one = await bench(['--concurrency', '2', '--requests', '20', '--output-tokens', '8']);
      const two = await bench(['--concurrency', '4', '--requests', '20', '--output-tokens', '8']);
      const { url, child } = await startView(dir);
      const browser = await launchChromium();
      try {
        const page = await browser.newPage();
        const errors = pageErrors(page);
        await page.goto(url);
        expect(await page.textContent('table')).toMatch(/req\/s · p95 ttft \d+ ms · 0 errors of 20/);
        await page.goto(`${url}runs/${sweep}`);
        // The sweep curve is drawn (an SVG, not the note a single load level gets).
        const curve = page.locator('figure[data-chart="throughput-latency"]');
        expect(await curve.getAttribute('data-missing')).toBeNull();
        expect(await curve.locator('svg').count()).toBeGreaterThan(0);
        mkdirSync(OUTPUT, { recursive: true });
        await page.screenshot({ path: join(OUTPUT, 'view-sweep.png'), fullPage: true });
        await page.goto(`${url}compare?run=${one}&run=${two}`);
        expect(await page.textContent('body')).toContain('comparison');
        expect(await page.locator('text=ttft').count()).toBeGreaterThan(0);
        expect(errors).toEqual([]);
      } finally {
        await browser.close();
        child.kill('SIGINT');
      }
    } finally {
      await sim.close();
    }
  }, 120_000);

  it('beyond loopback, answers only requests that carry the token it printed', async () => {
    const { dir } = await prepared();
    const { url, child } = await startView(dir, ['--host', '0.0.0.0']);
    try {
      const tokenized = new URL(url.replace('0.0.0.0', '127.0.0.1'));
      expect(tokenized.searchParams.get('token')).toMatch(/^[\w-]{20,}$/);
      const without = await fetch(`${tokenized.origin}/`);
      expect(without.status).toBe(403);
      const withToken = await fetch(tokenized);
      expect(withToken.status).toBe(200);
      expect(withToken.headers.get('content-security-policy')).toContain("default-src 'none'");
      const cookie = withToken.headers.get('set-cookie') ?? '';
      expect(cookie).toContain('HttpOnly');
      const again = await fetch(`${tokenized.origin}/`, { headers: { cookie: cookie.split(';')[0] ?? '' } });
      expect(again.status).toBe(200);
    } finally {
      child.kill('SIGINT');
    }
  }, 60_000);
});
