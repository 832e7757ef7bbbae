import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { launchChromium, noBrowser, pageErrors, TEST_OUTPUT } from './helpers/browser.js';
import type { EvalJson } from '../src/eval/eval-summary.js';
import type { ProfileJson } from '../src/runs/profile-json.js';
import { freshDir, runCli } from './helpers/cli.js';
import { useScriptedServers } from './helpers/scripted-server.js';
import { DATA_DIR } from './helpers/fixtures.js';
import { startSimulator } from '../src/simulator/server.js';

const OUTPUT = TEST_OUTPUT;
const scripted = useScriptedServers();

const HOSTILE = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">';

/** Loads a report in headless Chromium: console errors, whether any injected code ran, and each chart's size. */
async function inBrowser(
  path: string,
  screenshot: string,
): Promise<{
  errors: string[];
  pwned: unknown;
  charts: { id: string; missing: boolean; width: number; height: number; marks: number }[];
}> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const errors = pageErrors(page);
    page.on('dialog', (d) => {
      errors.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(`file://${path}`);
    mkdirSync(OUTPUT, { recursive: true });
    await page.screenshot({ path: join(OUTPUT, screenshot), fullPage: true });
    const pwned: unknown = await page.evaluate('globalThis.__pwned ?? null');
    // Runs in the page (DOM types are not part of this project's TypeScript): the plot is the largest SVG of each
    // figure, since colour legends add small swatch SVGs beside it.
    const charts = await page.evaluate<
      { id: string; missing: boolean; width: number; height: number; marks: number }[]
    >(`[...document.querySelectorAll('figure.chart')].map((f) => {
      const area = (e) => e.getBoundingClientRect().width * e.getBoundingClientRect().height;
      const svg = [...f.querySelectorAll('svg')].sort((a, b) => area(b) - area(a))[0];
      const box = svg ? svg.getBoundingClientRect() : { width: 0, height: 0 };
      return { id: f.getAttribute('data-chart') || '', missing: f.getAttribute('data-missing') === 'true', width: box.width, height: box.height, marks: svg ? svg.querySelectorAll('path, rect, circle, line, text').length : 0 };
    })`);
    errors.push(...requests.filter((u) => !u.startsWith('file://')).map((u) => `network request: ${u}`));
    return { errors, pwned, charts };
  } finally {
    await browser.close();
  }
}

interface PageFacts {
  firstAfterTitle: string;
  tocTargetsMissing: string[];
  headings: string[];
  h4s: string[];
  verdict: string;
  confusion: { text: string; fill: string }[];
  latencyTicks: string[];
  cpuTicks: string[];
  itlNote: string;
  wrappedNumberCells: string[];
  metricRows: string[];
  config: string;
}

/** What a reader sees on a report, read from the page Chromium laid out. */
async function readPage(path: string): Promise<PageFacts> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`file://${path}`);
    // Runs in the page (DOM types are not part of this project's TypeScript).
    return await page.evaluate<PageFacts>(`(() => {
      const texts = (root, selector) => [...root.querySelectorAll(selector)].map((e) => e.textContent.trim());
      const figure = (id) => document.querySelector('figure[data-chart="' + id + '"]');
      const axisTicks = (f, axis = '') => f === null ? [] : texts(f, 'g[aria-label$="' + axis + 'tick label"] text');
      const latency = ['latency-cdf', 'latency-histogram', 'e2e-distribution', 'ttft-distribution'].flatMap((id) => axisTicks(figure(id)));
      const lineHeight = parseFloat(getComputedStyle(document.body).lineHeight);
      const wrapped = [...document.querySelectorAll('td:not(.text):not(:first-child)')].filter((td) => td.getBoundingClientRect().height > lineHeight * 1.9).map((td) => td.textContent);
      const confusion = figure('confusion-matrix');
      return {
        firstAfterTitle: document.querySelector('h1').nextElementSibling.tagName,
        tocTargetsMissing: [...document.querySelectorAll('nav.toc a')].map((a) => a.getAttribute('href')).filter((href) => document.querySelector(href) === null),
        headings: texts(document, 'h2'),
        h4s: texts(document, 'h4'),
        verdict: document.querySelector('h2 + p').textContent,
        confusion: confusion === null ? [] : [...confusion.querySelectorAll('g[aria-label="text"] text')].map((t) => ({ text: t.textContent, fill: t.getAttribute('fill') })),
        latencyTicks: latency,
        cpuTicks: axisTicks(figure('resources'), 'y-axis ').filter((t) => /^[0-9]/.test(t)),
        itlNote: figure('itl-distribution')?.textContent ?? '',
        wrappedNumberCells: wrapped,
        metricRows: [...document.querySelectorAll('table tr td:first-child')].map((td) => td.textContent),
        config: document.querySelector('pre').textContent,
      };
    })()`);
  } finally {
    await browser.close();
  }
}

describe('yardstick report', () => {
  it('escapes model output and data: nothing injected runs, and the page is self-contained', async () => {
    const cwd = freshDir();
    const server = await scripted((request) => ({
      text: request.count % 3 === 0 ? 'negative' : `positive ${HOSTILE}`,
    }));
    writeFileSync(
      join(cwd, 'cases.csv'),
      `id,text,expected\n1,"${HOSTILE.replace(/"/g, '""')}",positive\n2,fine,negative\n3,<b>bold</b>,positive\n4,ok,negative\n`,
    );
    writeFileSync(
      join(cwd, 'suite.yaml'),
      `name: "hostile <i>suite</i>"\ndataset: cases.csv\nprompt: { text: "{{text}}" }\ntargets:\n  - { kind: openai-chat, name: "t<script>", baseUrl: "${server.baseUrl}", model: m }\nscorers:\n  - { type: choice, choices: [positive, negative] }\nrun: { concurrency: 1, repeats: 2 }\n`,
    );
    const run = JSON.parse((await runCli(['eval', 'suite.yaml', '--json'], { cwd })).stdout) as EvalJson;
    const out = await runCli(['report', run.runId, '-o', 'out'], { cwd });
    expect(out.code, out.stderr).toBe(0);
    const path = out.stdout.trim();
    expect(path).toBe(join(cwd, 'out', 'report.html'));
    const html = readFileSync(path, 'utf8');
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).toContain('&lt;script&gt;window.__pwned = 1&lt;/script&gt;');
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?(https?:)?\/\//i);
    if (noBrowser) return;
    const page = await inBrowser(path, 'report-hostile.png');
    expect(page.errors).toEqual([]);
    expect(page.pwned).toBeNull();
    const drawn = page.charts.filter((c) => !c.missing).map((c) => c.id);
    expect(drawn).toEqual(
      expect.arrayContaining(['metric-intervals', 'confusion-matrix', 'latency-histogram', 'latency-cdf']),
    );
    for (const c of page.charts.filter((c) => !c.missing)) {
      expect(c.width, c.id).toBeGreaterThan(100);
      expect(c.height, c.id).toBeGreaterThan(50);
      expect(c.marks, c.id).toBeGreaterThan(3);
    }
  }, 60_000);

  it('reports a profile: tradeoff, accuracy, the sweep with its knee, latency distributions and resources', async () => {
    const cwd = freshDir();
    writeFileSync(
      join(cwd, 'spam.yaml'),
      readFileSync(join(import.meta.dirname, '../examples/demo/spam.yaml'), 'utf8'),
    );
    writeFileSync(
      join(cwd, 'profile.yaml'),
      `name: small-profile
targets:
  - { name: nb, kind: builtin, model: spam-nb }
  - { name: logreg, kind: builtin, model: spam-logreg }
evals:
  - { suite: spam.yaml, sample: 100, stratify: label, repeats: 2 }
load:
  - name: sweep
    targets: [nb]
    load: { profile: sweep, steps: 1, duration: 1s }
    input: { kind: synthetic, inputTokens: 100, outputTokens: 1 }
`,
    );
    const result = await runCli(['run', 'profile.yaml'], { cwd });
    expect(result.code, result.stderr).toBe(0);
    const path = /HTML report: (.+)$/m.exec(result.stdout)?.[1] ?? '';
    expect(existsSync(path)).toBe(true);
    const list = JSON.parse((await runCli(['runs', 'list', '--json'], { cwd })).stdout) as {
      id: string;
      kind: string;
    }[];
    const profileId = list.find((r) => r.kind === 'profile')?.id ?? '';
    expect(path).toBe(join(cwd, 'reports', profileId, 'report.html'));
    const profile = (
      JSON.parse((await runCli(['runs', 'show', profileId, '--json'], { cwd })).stdout) as { summary: ProfileJson }
    ).summary;
    const html = readFileSync(path, 'utf8');
    for (const run of profile.runs) expect(html).toContain(run.runId);
    for (const id of ['tradeoff', 'throughput-latency', 'e2e-distribution', 'resources', 'confusion-matrix'])
      expect(html).toContain(`data-chart="${id}"`);
    if (noBrowser) return;
    const page = await inBrowser(path, 'report-profile.png');
    expect(page.errors).toEqual([]);
    const drawn = new Set(page.charts.filter((c) => !c.missing && c.marks > 3 && c.width > 100).map((c) => c.id));
    for (const id of [
      'tradeoff',
      'throughput-latency',
      'e2e-distribution',
      'resources',
      'confusion-matrix',
      'latency-cdf',
    ])
      expect(drawn.has(id), id).toBe(true);
  }, 120_000);

  it('draws the reliability diagram of a predictions file with probabilities, and compares two eval runs', async () => {
    const cwd = freshDir();
    // 200 rows whose probabilities are calibrated by construction: in each tenth, the share of positives is the bin's middle.
    const rows = Array.from({ length: 200 }, (_, i) => {
      const bin = Math.floor(i / 20);
      const p = (bin + 0.5) / 10;
      const positive = i % 20 < Math.round(p * 20);
      return `${positive ? 1 : 0},${p >= 0.5 ? 1 : 0},${p}`;
    });
    writeFileSync(join(cwd, 'preds.csv'), ['y,yhat,p', ...rows].join('\n'));
    const metrics = JSON.parse(
      (await runCli(['metrics', 'preds.csv', '--true', 'y', '--pred', 'yhat', '--score', 'p', '--json'], { cwd }))
        .stdout,
    ) as { runId: string; reliability: { meanPredicted: number; fractionPositive: number; count: number }[] };
    expect(metrics.reliability).toHaveLength(10);
    for (const bin of metrics.reliability) {
      expect(bin.count).toBe(20);
      expect(bin.fractionPositive).toBeCloseTo(bin.meanPredicted, 1);
    }
    const server = await scripted((request) => ({ text: request.count % 4 === 0 ? 'negative' : 'positive' }));
    writeFileSync(
      join(cwd, 'cases.csv'),
      `id,text,expected\n${Array.from({ length: 12 }, (_, i) => `${i},t${i},${i % 2 === 0 ? 'positive' : 'negative'}`).join('\n')}\n`,
    );
    writeFileSync(
      join(cwd, 'suite.yaml'),
      `name: s\ndataset: cases.csv\nprompt: { text: "{{text}}" }\ntargets:\n  - { kind: openai-chat, baseUrl: "${server.baseUrl}", model: m }\nscorers:\n  - { type: choice, choices: [positive, negative] }\nrun: { cache: false }\n`,
    );
    const a = JSON.parse((await runCli(['eval', 'suite.yaml', '--json'], { cwd })).stdout) as EvalJson;
    const b = JSON.parse((await runCli(['eval', 'suite.yaml', '--json'], { cwd })).stdout) as EvalJson;
    const out = await runCli(['report', metrics.runId, '--compare', a.runId, b.runId, '-o', 'rep'], { cwd });
    expect(out.code, out.stderr).toBe(0);
    // Default folders: one per set of runs, so a comparison never overwrites the report of one of its runs.
    const single = (await runCli(['report', a.runId], { cwd })).stdout.trim();
    const compared = (await runCli(['report', '--compare', a.runId, b.runId], { cwd })).stdout.trim();
    expect(single).toBe(join(cwd, 'reports', a.runId, 'report.html'));
    expect(compared).toBe(join(cwd, 'reports', `compare-${a.runId}-${b.runId}`, 'report.html'));
    expect(readFileSync(single, 'utf8')).not.toContain('data-chart="compare-differences"');
    const html = readFileSync(out.stdout.trim(), 'utf8');
    for (const id of ['calibration', 'compare-differences']) expect(html).toContain(`data-chart="${id}"`);
    if (noBrowser) return;
    const page = await inBrowser(out.stdout.trim(), 'report-calibration.png');
    expect(page.errors).toEqual([]);
    const drawn = new Set(page.charts.filter((c) => !c.missing && c.marks > 3 && c.width > 100).map((c) => c.id));
    expect(drawn.has('calibration')).toBe(true);
    expect(drawn.has('compare-differences')).toBe(true);
  }, 60_000);

  it('draws MMLU per subject for a benchmark run', async () => {
    const cwd = freshDir();
    const server = await scripted((request) => ({ text: request.count % 2 === 0 ? 'A' : 'B' }));
    const data = DATA_DIR;
    const run = await runCli(
      [
        'eval',
        '--benchmark',
        'mmlu',
        '--subjects',
        'abstract_algebra,college_physics,marketing',
        '--limit',
        '6',
        '--fewshot',
        '0',
        '--kind',
        'openai-chat',
        '--url',
        server.baseUrl,
        '--model',
        'm',
        '--mode',
        'choice',
        '--data-dir',
        data,
        '--json',
      ],
      { cwd },
    );
    expect(run.code, run.stderr).toBe(0);
    const out = await runCli(['report', (JSON.parse(run.stdout) as EvalJson).runId, '-o', 'rep'], { cwd });
    const html = readFileSync(out.stdout.trim(), 'utf8');
    expect(html).toContain('data-chart="mmlu-subjects"');
    expect(html).toContain('marketing');
    if (noBrowser) return;
    const page = await inBrowser(out.stdout.trim(), 'report-mmlu.png');
    expect(page.errors).toEqual([]);
    const subjects = page.charts.find((c) => c.id === 'mmlu-subjects');
    expect(subjects?.marks).toBeGreaterThan(6);
  }, 60_000);

  it('reads as a user needs it: summary and contents first, readable charts, real reasons, no empty sections (screenshot in Chromium)', async () => {
    const cwd = freshDir();
    // 30 cases, 25 of them positive, and a model that always answers negative: 25 failing cases, a dark cell.
    const server = await scripted(() => ({ text: 'negative' }));
    writeFileSync(
      join(cwd, 'cases.csv'),
      `id,text,expected\n${Array.from({ length: 30 }, (_, i) => `${i},t${i},${i < 25 ? 'positive' : 'negative'}`).join('\n')}\n`,
    );
    writeFileSync(
      join(cwd, 'suite.yaml'),
      `name: s\ndataset: cases.csv\nprompt: { text: "{{text}}" }\ntargets:\n  - { kind: openai-chat, baseUrl: "${server.baseUrl}", model: m, timeout: 20s }\nscorers:\n  - { type: choice, choices: [positive, negative] }\nrun: { cache: false }\n`,
    );
    const evalRun = JSON.parse((await runCli(['eval', 'suite.yaml', '--json'], { cwd })).stdout) as EvalJson;
    // Streamed answers of one token each, sub-millisecond: no inter-token gap to time, and latency axes below 1 ms.
    const sim = await startSimulator({ ttftMs: 0, itlMs: 0 });
    try {
      const bench = await runCli(
        [
          'bench',
          '--url',
          `${sim.url}/v1`,
          '--model',
          'sim',
          '--rate',
          '50',
          '--duration',
          '2s',
          '--output-tokens',
          '1',
          '--input-tokens',
          '8',
          '--json',
        ],
        { cwd },
      );
      expect(bench.code, bench.stderr).toBe(0);
      const benchId = (JSON.parse(bench.stdout) as { runId: string }).runId;
      const out = await runCli(['report', evalRun.runId, benchId, '-o', 'read'], { cwd });
      expect(out.code, out.stderr).toBe(0);
      const html = readFileSync(out.stdout.trim(), 'utf8');
      expect(html).not.toContain('<h4>errors</h4>');
      expect(html).not.toContain('No failing cases');
      if (noBrowser) return;
      const page = await inBrowser(out.stdout.trim(), 'report-read.png');
      expect(page.errors).toEqual([]);
      const facts = await readPage(out.stdout.trim());
      // Contents before the first section, every entry leading to a heading; the summary first, with the verdict.
      expect(facts.firstAfterTitle).toBe('NAV');
      expect(facts.tocTargetsMissing).toEqual([]);
      expect(facts.headings[0]).toBe('summary');
      expect(facts.verdict).toContain('all 2 runs completed');
      // The darkest confusion cell (25 positives answered negative) carries white text.
      expect(facts.confusion.find((t) => t.text === '25')?.fill).toBe('white');
      expect(facts.confusion.find((t) => t.text === '5')?.fill).toBe('black');
      // Millisecond axes print plain numbers: no "500m" for half a millisecond.
      expect(facts.latencyTicks.length).toBeGreaterThan(3);
      expect(facts.latencyTicks.filter((t) => /[0-9][mµkM]$/.test(t))).toEqual([]);
      // The real reason for an absent chart, the real count of failing cases, and numbers that never wrap.
      expect(facts.itlNote).toContain('each response had one output token');
      expect(facts.h4s).toContain('failing cases: the first 20 of 25');
      expect(facts.wrappedNumberCells).toEqual([]);
      expect(facts.metricRows).toContain('pass_rate = score = choice = accuracy');
      // The CPU axis starts at 0; durations in the config carry their unit.
      expect(facts.cpuTicks[0]).toBe('0');
      expect(facts.config).toContain('"duration": "2 s"');
      expect(facts.config).toContain('"timeout": "1 min"');
    } finally {
      await sim.close();
    }
  }, 90_000);

  it('refuses unknown runs and a --compare without two runs', async () => {
    const cwd = freshDir();
    const unknown = await runCli(['report', 'nope'], { cwd });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("error[RUN_NOT_FOUND]: no run with id 'nope'");
    const one = await runCli(['report', '--compare', 'a'], { cwd });
    expect(one.code).toBe(2);
    expect(one.stderr).toContain('--compare takes two runs, A and B');
  });
});
