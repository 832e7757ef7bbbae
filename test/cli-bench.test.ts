import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../src/simulator/server.js';
import { NO_FAULTS } from '../src/simulator/options.js';
import { freshDir, runCli } from './helpers/cli.js';

let sim: RunningSimulator;
let faulty: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator({ ttftMs: 10, itlMs: 2 });
  faulty = await startSimulator({
    ttftMs: 1,
    itlMs: 1,
    faults: { ...NO_FAULTS, http500: 0.1, http429: 0.1, reset: 0.05, malformed: 0.05, streamError: 0.05 },
    seed: 9,
  });
});

afterAll(async () => {
  await sim.close();
  await faulty.close();
});

const P_KEYS = ['mean', 'min', 'max', 'stddev', 'p50', 'p90', 'p95', 'p99', 'p999'];

function target(url: string): string[] {
  return ['--url', `${url}/v1`, '--model', 'sim', '--output-tokens', '8', '--input-tokens', '16'];
}

describe('yardstick bench', () => {
  it('prints the documented JSON summary and stores the run', async () => {
    const cwd = freshDir();
    const result = await runCli(
      [
        'bench',
        ...target(sim.url),
        '--profile',
        'rate',
        '--rate',
        '40',
        '--duration',
        '1s',
        '--slo',
        'ttft < 200ms',
        '--threshold',
        'p95(ttft) < 1s',
        '--json',
      ],
      { cwd },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(Object.keys(summary)).toEqual([
      'schemaVersion',
      'runId',
      'kind',
      'status',
      'target',
      'profile',
      'requests',
      'durationS',
      'throughput',
      'rate',
      'latencyMs',
      'errors',
      'errorSamples',
      'finishReasons',
      'connections',
      'validity',
      'thresholds',
      'steps',
      'tokens',
      'resources',
      'serverMetrics',
      'targetProcess',
      'prompts',
      'histograms',
    ]);
    expect(Object.keys(summary.histograms as object)).toEqual(['ttft', 'e2e', 'itl', 'tpot']);
    // The simulator has no /metrics: the run says so instead of failing.
    expect((summary.serverMetrics as { notMeasured: string }).notMeasured).toMatch(/\/metrics: HTTP 404$/);
    // Nor a /tokenize: the prompts are counted by the client tokenizer, and the run says why.
    expect(summary.prompts).toMatchObject({
      tokenizerSource: 'client',
      tokenizer: 'cl100k_base (client)',
      requestedTokens: 16,
      unique: 256,
      tokens: { min: 16, max: 16 },
    });
    expect((summary.prompts as { fallbackReason: string }).fallbackReason).toMatch(
      /no usable tokenizer endpoint \(HTTP 404 from http:\/\/127\.0\.0\.1:\d+\/tokenize\)/,
    );
    expect(summary).toMatchObject({
      schemaVersion: 1,
      kind: 'bench',
      status: 'completed',
      requests: { completed: 40, errored: 0, incomplete: 0, resent: 0 },
      errorSamples: [],
      rate: { targetPerS: 40 },
      thresholds: [{ expr: 'p95(ttft) < 1s', pass: true }],
      steps: [],
    });
    const latency = summary.latencyMs as Record<string, Record<string, number> | null>;
    expect(Object.keys(latency)).toEqual([
      'e2e',
      'e2eFromIntended',
      'scheduleLag',
      'ttft',
      'ttfo',
      'tpot',
      'itl',
      'chunkGap',
      'dns',
      'connect',
      'tls',
      'ttfb',
      'receive',
    ]);
    // 127.0.0.1 over plain http: a connect per new connection, no lookup, no handshake.
    expect(latency.dns).toBeNull();
    expect(latency.tls).toBeNull();
    expect(latency.connect?.p50).toBeGreaterThan(0);
    expect(latency.ttfb?.p50).toBeGreaterThan(0);
    const connections = summary.connections as { opened: number; reused: number; unknown: number };
    expect(connections.opened + connections.reused).toBe(40);
    expect(connections.opened).toBeGreaterThan(0);
    expect(connections.unknown).toBe(0);
    expect(Object.keys(latency.ttft ?? {})).toEqual(P_KEYS);
    expect(Object.keys(summary.throughput as object)).toEqual(['requestsPerS', 'outputTokensPerS', 'goodputPerS']);

    const runId = String(summary.runId);
    const list = await runCli(['runs', 'list', '--json'], { cwd });
    expect(JSON.parse(list.stdout)).toMatchObject([{ id: runId, kind: 'bench', status: 'completed' }]);
    const shown = await runCli(['runs', 'show', runId.slice(0, 17)], { cwd });
    expect(shown.stdout).toContain(`run ${runId} (completed)`);
    expect(shown.stdout).toContain('ttft');
    const exported = await runCli(['runs', 'export', runId, '--format', 'json'], { cwd });
    const record = JSON.parse(exported.stdout) as {
      summary: unknown;
      environment: { cores: number; node: string };
      config: unknown;
    };
    expect(record.summary).toEqual(summary);
    expect(record.environment.node).toBe(process.version);
    const csv = await runCli(['runs', 'export', runId, '--format', 'csv'], { cwd });
    const [header, row] = csv.stdout.trim().split('\n');
    expect(header?.split(',').slice(0, 3)).toEqual(['step', 'completed', 'errored']);
    expect(header).toContain('ttft_p95_ms');
    expect(row?.startsWith('all,40,0,0,')).toBe(true);
  });

  it('runs from a YAML config with worker threads', async () => {
    const cwd = freshDir();
    const config = join(cwd, 'bench.yaml');
    writeFileSync(
      config,
      `target:\n  kind: openai-completions\n  baseUrl: ${sim.url}/v1\n  model: sim\nload:\n  profile: concurrency\n  concurrency: 4\n  requests: 60\n  workers: 2\ninput:\n  kind: synthetic\n  outputTokens: 4\n`,
    );
    const result = await runCli(['bench', '-c', config, '--json'], { cwd });
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as {
      requests: { completed: number };
      latencyMs: { itl: { p50: number; p99: number } };
    };
    expect(summary.requests.completed).toBe(60);
    // The simulator shares this test's thread, so under load its late tokens come in bursts and most gaps can be
    // shorter than its 2 ms; the gaps are measured all the same, and the longest reach the schedule's.
    expect(summary.latencyMs.itl.p50).toBeGreaterThan(0);
    expect(summary.latencyMs.itl.p99).toBeGreaterThan(1.5);
  });

  it('counts faults of the target by category and completes', async () => {
    const result = await runCli([
      'bench',
      ...target(faulty.url),
      '--profile',
      'concurrency',
      '--concurrency',
      '4',
      '--requests',
      '300',
      '--timeout',
      '2s',
      '--json',
    ]);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as {
      requests: { completed: number; errored: number };
      errors: Record<string, number>;
    };
    expect(summary.requests.completed + summary.requests.errored).toBe(300);
    for (const category of ['http_5xx', 'http_429', 'connection', 'malformed_response', 'stream_error'])
      expect(summary.errors[category]).toBeGreaterThan(0);
    expect(Object.values(summary.errors).reduce((a, b) => a + b, 0)).toBe(summary.requests.errored);
  });

  it('exits 3 when a threshold fails and says which', async () => {
    const result = await runCli([
      'bench',
      ...target(sim.url),
      '--profile',
      'concurrency',
      '--concurrency',
      '2',
      '--requests',
      '10',
      '--threshold',
      'p50(ttft) < 1ms',
      '--threshold',
      'error_rate < 1%',
    ]);
    expect(result.code).toBe(3);
    expect(result.stdout).toContain('✗ p50(ttft) < 1ms');
    expect(result.stdout).toContain('✓ error_rate < 1%');
  });

  it('judges validity: percentile bounds around the simulator’s delay, what is missing, and bounded thresholds', async () => {
    const run = async (extra: string[]): Promise<{ code: number | null; json: Record<string, unknown> }> => {
      const result = await runCli([
        'bench',
        ...target(sim.url),
        '--profile',
        'concurrency',
        '--concurrency',
        '4',
        '--requests',
        '400',
        '--json',
        ...extra,
      ]);
      return { code: result.code, json: JSON.parse(result.stdout) as Record<string, unknown> };
    };
    interface Bound {
      lowMs: number | null;
      highMs: number | null;
      needsMore: number;
    }
    const validityOf = (
      json: Record<string, unknown>,
    ): { verdict: string; reasons: string[]; bounds: Record<string, Record<string, Bound>> } =>
      json.validity as { verdict: string; reasons: string[]; bounds: Record<string, Record<string, Bound>> };
    const short = await run(['--validity-percentiles', 'p50,p999']);
    const verdict = validityOf(short.json);
    expect(verdict.verdict).toBe('insufficient');
    expect(verdict.reasons.join(' ')).toContain('less than the 60 s minimum');
    // p99.9 at 95% needs 3,688 samples: 400 leave 3,288 to go.
    expect(verdict.reasons.join(' ')).toContain('p999 needs ≥ 3288 more completed requests');
    const p50 = verdict.bounds.ttft?.p50;
    // The simulator answers after 10 ms: no bound can be below it, and the median lies between the bounds.
    expect(p50?.lowMs).toBeGreaterThanOrEqual(10);
    const median = (short.json.latencyMs as Record<string, { p50: number }>).ttft?.p50 ?? Number.NaN;
    expect(p50?.lowMs).toBeLessThanOrEqual(median);
    expect(p50?.highMs).toBeGreaterThanOrEqual(median);
    const valid = await run([
      '--min-duration',
      '0s',
      '--threshold',
      'upper(p99(ttft)) < 10s',
      '--threshold',
      'upper(p999(ttft)) < 10s',
    ]);
    expect(validityOf(valid.json)).toMatchObject({ verdict: 'valid', reasons: [] });
    // The p99.9 bound does not exist yet, so a threshold on it fails as unmeasured.
    expect(valid.code).toBe(3);
    expect(valid.json.thresholds).toMatchObject([
      { expr: 'upper(p99(ttft)) < 10s', pass: true },
      { expr: 'upper(p999(ttft)) < 10s', pass: false, value: null },
    ]);
  });

  it('compares two bench runs: a server 20 ms slower to the first token is found so, with an interval', async () => {
    const slower = await startSimulator({ ttftMs: 30, itlMs: 2 });
    try {
      const cwd = freshDir();
      const ids: string[] = [];
      for (const url of [sim.url, slower.url]) {
        const result = await runCli(
          ['bench', ...target(url), '--profile', 'concurrency', '--concurrency', '2', '--requests', '120', '--json'],
          { cwd },
        );
        ids.push((JSON.parse(result.stdout) as { runId: string }).runId);
      }
      const compared = await runCli(['compare', ...ids, '--json'], { cwd });
      expect(compared.code).toBe(0);
      const result = JSON.parse(compared.stdout) as {
        kind: string;
        differences: { metric: string; statistic: string; differenceCi: [number, number]; significant: boolean }[];
      };
      expect(result.kind).toBe('bench-compare');
      const p50 = result.differences.find((d) => d.metric === 'ttft' && d.statistic === 'p50');
      expect(p50?.significant).toBe(true);
      // The simulators differ by 20 ms; the interval of the measured difference must be near it.
      expect(p50?.differenceCi[0]).toBeGreaterThan(12);
      expect(p50?.differenceCi[1]).toBeLessThan(28);
      const text = await runCli(['compare', ...ids], { cwd });
      expect(text.stdout).toMatch(/B's p50 ttft is \d+% \[\d+%, \d+%\] higher/);
      const report = await runCli(['report', '--compare', ...ids, '-o', join(cwd, 'compared')], { cwd });
      expect(report.code, report.stderr).toBe(0);
      const html = readFileSync(join(cwd, 'compared', 'report.html'), 'utf8');
      expect(html).toContain('data-chart="bench-compare"');
      expect(html).toMatch(/B&#39;s p50 ttft is \d+% \[\d+%, \d+%\] higher/);
      expect(html).toContain(`against sim (B, ${ids[1] ?? ''})`);
      writeFileSync(join(cwd, 'p.csv'), 'y,p\n1,1\n0,0\n');
      const metrics = JSON.parse(
        (await runCli(['metrics', join(cwd, 'p.csv'), '--true', 'y', '--pred', 'p', '--json'], { cwd })).stdout,
      ) as { runId: string };
      const mixed = await runCli(['compare', ids[0] ?? '', metrics.runId], { cwd });
      expect(mixed.code).toBe(2);
      expect(mixed.stderr).toContain('error[RUN_KIND_MISMATCH]');
    } finally {
      await slower.close();
    }
  });

  it('repeats a bench, summarizes each statistic across the runs, reports them, and compares two repeated benches', async () => {
    const slower = await startSimulator({ ttftMs: 30, itlMs: 2 });
    try {
      const cwd = freshDir();
      const repeat = async (
        url: string,
      ): Promise<{
        runId: string;
        runs: { runId: string }[];
        kind: string;
        statistics: { name: string; values: number[]; ci: [number, number] | null }[];
      }> => {
        const result = await runCli(
          [
            'bench',
            ...target(url),
            '--concurrency',
            '2',
            '--requests',
            '40',
            '--repeats',
            '3',
            '--pause',
            '0s',
            '--json',
          ],
          { cwd },
        );
        expect(result.code).toBe(0);
        return JSON.parse(result.stdout) as Awaited<ReturnType<typeof repeat>>;
      };
      const fast = await repeat(sim.url);
      expect(fast.kind).toBe('bench-repeats');
      expect(fast.runs).toHaveLength(3);
      const p50 = fast.statistics.find((s) => s.name === 'p50(ttft)');
      expect(p50?.values).toHaveLength(3);
      expect(p50?.values.every((v) => v >= 10)).toBe(true);
      expect(p50?.ci?.[0]).toBeLessThanOrEqual(p50?.ci?.[1] ?? Number.NaN);
      const listed = JSON.parse((await runCli(['runs', 'list', '--json'], { cwd })).stdout) as { kind: string }[];
      expect(listed.filter((r) => r.kind === 'bench')).toHaveLength(3);
      expect(listed.filter((r) => r.kind === 'bench-repeats')).toHaveLength(1);
      const report = await runCli(['report', fast.runId, '-o', join(cwd, 'report')], { cwd });
      expect(report.code).toBe(0);
      const html = readFileSync(join(cwd, 'report', 'report.html'), 'utf8');
      expect(html).toContain('repeats: 3 runs against sim');
      expect(html).toContain('CI of the mean');
      const slow = await repeat(slower.url);
      const compared = await runCli(['compare', fast.runId, slow.runId], { cwd });
      expect(compared.code).toBe(0);
      expect(compared.stdout).toMatch(/B's p50\(ttft\) is \d+\.\d% higher over the repeats/);
      const both = await runCli(['report', '--compare', fast.runId, slow.runId, '-o', join(cwd, 'both')], { cwd });
      expect(both.code, both.stderr).toBe(0);
      const compareHtml = readFileSync(join(cwd, 'both', 'report.html'), 'utf8');
      expect(compareHtml).toContain('3 repeats) against sim');
      expect(compareHtml).toContain('interval (Welch)');
    } finally {
      await slower.close();
    }
  });

  it('ramps through --stages (as many requests as the area under the rate) and draws --burstiness gamma arrivals', async () => {
    const ramp = await runCli(['bench', ...target(sim.url), '--stages', '1s:40,1s:0', '--json']);
    expect(ramp.code).toBe(0);
    const ramped = JSON.parse(ramp.stdout) as { profile: { profile: string }; requests: { completed: number } };
    // 0 → 40/s over 1 s (20 requests), then 40 → 0/s over 1 s (20 more).
    expect(ramped.profile.profile).toBe('stages');
    expect(ramped.requests.completed).toBe(40);
    const gamma = await runCli([
      'bench',
      ...target(sim.url),
      '--rate',
      '40',
      '--burstiness',
      '0.5',
      '--duration',
      '1s',
      '--json',
    ]);
    expect(gamma.code).toBe(0);
    expect(JSON.parse(gamma.stdout)).toMatchObject({ profile: { profile: 'gamma', burstiness: 0.5, ratePerS: 40 } });
    const bad = await runCli(['bench', ...target(sim.url), '--stages', '30s']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("error[FLAG_INVALID]: --stages: '30s' is not DURATION:RATE");
  });

  it('draws prompt lengths and max_tokens from distributions, and says what it asked for and what it drew', async () => {
    const result = await runCli([
      'bench',
      ...target(sim.url),
      '--rate',
      '40',
      '--duration',
      '1s',
      '--input-lengths',
      'uniform:20:40',
      '--output-lengths',
      'fixed:3',
      '--json',
    ]);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as {
      prompts: {
        tokens: { min: number; max: number };
        lengths: Record<string, { requested: string; drawn: { min: number; max: number } }>;
      };
      tokens: { output: number };
      requests: { completed: number };
    };
    expect(summary.prompts.lengths.input).toMatchObject({ requested: 'uniform 20–40' });
    expect(summary.prompts.lengths.input?.drawn.min).toBeGreaterThanOrEqual(20);
    expect(summary.prompts.lengths.input?.drawn.max).toBeLessThanOrEqual(40);
    // Cut to the drawn lengths: the counted prompts span the same range (give or take a token at a cut).
    expect(summary.prompts.tokens.min).toBeGreaterThanOrEqual(19);
    expect(summary.prompts.tokens.max).toBeLessThanOrEqual(41);
    expect(summary.prompts.lengths.output).toEqual({ requested: 'fixed 3', drawn: { min: 3, max: 3, mean: 3 } });
    // The simulator answers max_tokens tokens.
    expect(summary.tokens.output).toBe(3 * summary.requests.completed);
    const bad = await runCli(['bench', ...target(sim.url), '--output-lengths', 'zipf:2']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("error[FLAG_INVALID]: --output-lengths 'zipf:2' is not a length distribution");
  });

  it('finds the capacity of a server whose capacity is known, under an objective, and confirms it', async () => {
    // 4 slots, each request 20 ms to the first token and 7 more tokens 5 ms apart: 55 ms, so 4 / 0.055 = 72.7/s.
    const slotted = await startSimulator({ ttftMs: 20, itlMs: 5, slots: 4 });
    try {
      const cwd = freshDir();
      const result = await runCli(
        [
          'bench',
          ...target(slotted.url),
          '--output-tokens',
          '8',
          '--fixed-output',
          '--objective',
          'p95(ttft) < 100ms',
          '--start-rate',
          '20',
          '--step-duration',
          '1s',
          '--duration',
          '2s',
          '--tolerance',
          '0.1',
          '--json',
        ],
        { cwd },
      );
      expect(result.code, result.stderr).toBe(0);
      const summary = JSON.parse(result.stdout) as {
        runId: string;
        sloSearch: { capacityPerS: number | null; interval: [number, number | null]; confirmed: boolean };
        steps: { label: string }[];
      };
      const capacity = 4 / 0.055;
      expect(summary.sloSearch.confirmed).toBe(true);
      const [pass, fail] = summary.sloSearch.interval;
      // The bracket holds the known capacity (a step a little over it can pass while its queue is still short).
      expect(pass).toBeLessThanOrEqual(capacity * 1.05);
      expect(pass).toBeGreaterThan(capacity * 0.75);
      expect(fail ?? Number.NaN).toBeGreaterThanOrEqual(capacity * 0.95);
      expect(summary.sloSearch.capacityPerS).toBe(pass);
      expect(summary.steps.at(-1)?.label).toMatch(/^confirm /);
      const report = await runCli(['report', summary.runId, '-o', join(cwd, 'report')], { cwd });
      expect(report.code).toBe(0);
      const html = readFileSync(join(cwd, 'report', 'report.html'), 'utf8');
      expect(html).toContain('capacity under p95(ttft) &lt; 100ms:</strong>');
      expect(html).toContain('confirmed by a full-length step');
      const bad = await runCli(['bench', ...target(slotted.url), '--objective', 'p95(ttft) < fast']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('load.objectives[0]');
    } finally {
      await slotted.close();
    }
  });

  it('exits 4 before sending anything when the target is unreachable', async () => {
    const cwd = freshDir();
    const result = await runCli(
      [
        'bench',
        '--url',
        'http://127.0.0.1:9/v1',
        '--model',
        'm',
        '--profile',
        'rate',
        '--rate',
        '1',
        '--requests',
        '1',
      ],
      { cwd },
    );
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/^error\[TARGET_UNREACHABLE\]: cannot reach http:\/\/127\.0\.0\.1:9/);
    expect(result.stderr).toContain('hint: ');
    expect((await runCli(['runs', 'list', '--json'], { cwd })).stdout.trim()).toBe('[]');
  });

  it("fails a run in which every request fails with exit 4, keeping the server's reason", async () => {
    const cwd = freshDir();
    const server = createServer((_req, res) => {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: "model 'nope' not found", type: 'not_found_error', code: 404 } }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
      const result = await runCli(
        ['bench', '--url', url, '--model', 'nope', '--profile', 'concurrency', '--concurrency', '2', '--requests', '6'],
        { cwd },
      );
      expect(result.code).toBe(4);
      expect(result.stderr).toContain(
        "error[ALL_REQUESTS_FAILED]: every request to nope failed (6 http_4xx); nothing was measured. First error: HTTP 404: model 'nope' not found",
      );
      const runs = JSON.parse((await runCli(['runs', 'list', '--json'], { cwd })).stdout) as {
        id: string;
        status: string;
      }[];
      expect(runs.map((r) => r.status)).toEqual(['failed']);
      const shown = await runCli(['runs', 'show', runs[0]?.id ?? ''], { cwd });
      expect(shown.stdout).toContain("http_4xx ×6: HTTP 404: model 'nope' not found");
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('sends new synthetic prompts on every run unless --prompt-seed repeats a stored seed', async () => {
    const cwd = freshDir();
    const prompts: string[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        // The run also asks for /metrics and /tokenize, which this server does not have.
        if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
          res.writeHead(404).end();
          return;
        }
        prompts.push((JSON.parse(body) as { messages: { content: string }[] }).messages[0]?.content ?? '');
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
            usage: { prompt_tokens: 16, completion_tokens: 1 },
          }),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
      const run = async (extra: string[]): Promise<{ prompts: string[]; seed: unknown }> => {
        prompts.length = 0;
        const result = await runCli(
          [
            'bench',
            '--url',
            url,
            '--model',
            'm',
            '--no-stream',
            '--profile',
            'concurrency',
            '--concurrency',
            '1',
            '--requests',
            '3',
            '--input-tokens',
            '16',
            ...extra,
            '--json',
          ],
          { cwd },
        );
        expect(result.code, result.stderr).toBe(0);
        const shown = JSON.parse(
          (await runCli(['runs', 'show', (JSON.parse(result.stdout) as { runId: string }).runId, '--json'], { cwd }))
            .stdout,
        ) as { config: { input: { seed: unknown } } };
        return { prompts: [...prompts], seed: shown.config.input.seed };
      };
      const first = await run([]);
      const second = await run([]);
      expect(first.prompts).toHaveLength(3);
      expect(first.prompts).not.toEqual(second.prompts);
      expect(first.seed).not.toEqual(second.seed);
      const repeated = await run(['--prompt-seed', String(first.seed)]);
      expect(repeated.prompts).toEqual(first.prompts);
      expect(repeated.seed).toBe(first.seed);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('exits 2 before sending anything when --server-metrics names a URL that is not Prometheus metrics', async () => {
    const cwd = freshDir();
    const result = await runCli(
      [
        'bench',
        ...target(sim.url),
        '--profile',
        'concurrency',
        '--concurrency',
        '1',
        '--requests',
        '2',
        '--server-metrics',
        `${sim.url}/nothing-here`,
      ],
      { cwd },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `error[SERVER_METRICS_UNAVAILABLE]: cannot read Prometheus metrics at ${sim.url}/nothing-here: HTTP 404`,
    );
    expect((await runCli(['runs', 'list', '--json'], { cwd })).stdout.trim()).toBe('[]');
  });

  it('without --profile, sends one request at a time (or what --rate and --concurrency imply) and says so', async () => {
    const plain = await runCli(['bench', ...target(sim.url), '--requests', '4']);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stderr).toContain('profile: concurrency 1 (no --profile given; --profile picks another)');
    expect(plain.stdout).toContain('profile {"profile":"concurrency","concurrency":1,"requests":4');
    const rate = JSON.parse(
      (await runCli(['bench', ...target(sim.url), '--rate', '20', '--requests', '4', '--json'])).stdout,
    ) as { profile: { profile: string } };
    expect(rate.profile.profile).toBe('rate');
  });

  it('--target-pid of a process that does not exist is refused before anything is sent', async () => {
    const cwd = freshDir();
    const result = await runCli(
      [
        'bench',
        ...target(sim.url),
        '--profile',
        'concurrency',
        '--concurrency',
        '1',
        '--requests',
        '1',
        '--target-pid',
        '999999999',
      ],
      { cwd },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'error[TARGET_PID_UNKNOWN]: --target-pid 999999999: no such process on this machine',
    );
    expect(result.stderr).toContain('hint: ');
    expect((await runCli(['runs', 'list', '--json'], { cwd })).stdout.trim()).toBe('[]');
  });

  it('writes the run as JSON lines while it runs with --events: started, snapshots, finished', async () => {
    const cwd = freshDir();
    const events = join(cwd, 'events.jsonl');
    const args = ['bench', ...target(sim.url), '--profile', 'concurrency', '--concurrency', '2', '--duration', '1.5s'];
    const result = await runCli([...args, '--events', events, '--json'], { cwd });
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as { runId: string; requests: { completed: number } };
    const lines = readFileSync(events, 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ event: 'started', runId: summary.runId, kind: 'bench' });
    expect(lines.at(-1)).toMatchObject({ event: 'finished', runId: summary.runId, status: 'completed', summary });
    const snapshots = lines.filter((l) => l.event === 'progress') as {
      completed: number;
      elapsedS: number;
      ttftMs: { p50: number } | null;
    }[];
    // One snapshot every 0.5 s over 1.5 s.
    expect(snapshots.length).toBeGreaterThanOrEqual(2);
    const completed = snapshots.map((s) => s.completed);
    expect(completed).toEqual([...completed].sort((a, b) => a - b));
    expect(completed.at(-1)).toBeLessThanOrEqual(summary.requests.completed);
    // The simulator's first token comes after 10 ms.
    expect(snapshots.at(-1)?.ttftMs?.p50).toBeGreaterThanOrEqual(10);

    const refused = await runCli([...args, '--events', join(cwd, 'missing', 'events.jsonl')], { cwd });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('error[EVENTS_UNWRITABLE]: cannot write the events file');
    expect(JSON.parse((await runCli(['runs', 'list', '--json'], { cwd })).stdout)).toHaveLength(1);
  });

  it('exits 2 listing every problem of an invalid config with file, line and field', async () => {
    const cwd = freshDir();
    const config = join(cwd, 'bad.yaml');
    writeFileSync(config, 'target:\n  kind: grpc\nload:\n  profile: burst\n  ratePerS: -1\n');
    const result = await runCli(['bench', '-c', config], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error[CONFIG_INVALID]');
    expect(result.stderr).toContain(`${config}:2: target.kind: unknown kind`);
    expect(result.stderr).toContain('known kinds: openai-chat, openai-completions, http');
    expect(result.stderr).toContain(`${config}:4: load.profile: unknown profile`);
    // The other fields are checked too, although the profile is unknown: every problem at once, in our words.
    expect(result.stderr).toContain(`${config}:5: load.ratePerS: must be greater than 0`);
    expect(result.stderr).not.toContain('    at ');
    writeFileSync(
      config,
      'target:\n  kind: openai-chat\n  baseUrl: http://127.0.0.1:9/v1\n  model: m\nload:\n  profile: swep\n  duration: 20 seconds\n  steps: 0\n  rate: 5\n',
    );
    const swept = await runCli(['bench', '-c', config], { cwd });
    expect(swept.code).toBe(2);
    expect(swept.stderr).toContain('the configuration has 4 problems');
    const lines = swept.stderr.split('\n').filter((l) => l.startsWith(`  ${config}:`));
    expect(lines).toEqual([
      `  ${config}:6: load.profile: unknown profile`,
      `  ${config}:7: load.duration: '20 seconds' is not a duration`,
      `  ${config}:8: load.steps: must be greater than 0`,
      `  ${config}:9: load.rate: unknown field 'rate'`,
    ]);
  });

  it('exits 2 for a negative rate and a missing model given as flags', async () => {
    const result = await runCli([
      'bench',
      '--url',
      `${sim.url}/v1`,
      '--profile',
      'rate',
      '--rate',
      '-5',
      '--duration',
      '1s',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('command line: target.model: missing required field');
    expect(result.stderr).toContain('command line: load.ratePerS: must be greater than 0');
  });

  it('exits 2 for a prompts file with bad rows, naming each, and stores nothing', async () => {
    const cwd = freshDir();
    const prompts = join(cwd, 'prompts.jsonl');
    writeFileSync(prompts, '{"prompt": "fine"}\n{"text": "no prompt"}\n{"prompt": "x", "max_tokens": "many"}\n');
    const result = await runCli(
      ['bench', ...target(sim.url), '--prompts', prompts, '--profile', 'rate', '--rate', '5', '--requests', '3'],
      { cwd },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`error[INPUT_INVALID]: ${prompts} has 2 unusable rows`);
    expect(result.stderr).toContain(`${prompts}:2: prompt:`);
    expect(result.stderr).toContain(`${prompts}:3: max_tokens:`);
    expect((await runCli(['runs', 'list', '--json'], { cwd })).stdout.trim()).toBe('[]');
  });

  it('exits 2 naming the flag for a bad --repeats, --pause or --shared-prefix, and for --events with repeats', async () => {
    for (const [flags, message] of [
      [['--repeats', '0'], "error[FLAG_INVALID]: --repeats '0' is not a count of runs"],
      [['--repeats', '2', '--pause', 'soon'], "error[FLAG_INVALID]: --pause 'soon' is not a duration"],
      [['--shared-prefix', '4:512'], "error[FLAG_INVALID]: --shared-prefix '4:512' is not COUNT:TOKENS:SHARE"],
      [['--repeats', '2', '--events', 'e.jsonl'], 'error[FLAG_INVALID]: --events follows one run, not repeats'],
    ] as const) {
      const result = await runCli(['bench', ...target(sim.url), '--requests', '1', ...flags]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(message);
    }
  });

  it('exits 2 for an unknown flag', async () => {
    const result = await runCli(['bench', '--rat', '5']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("error[USAGE]: unknown option '--rat'");
  });

  it('never stores or prints the API key', async () => {
    const cwd = freshDir();
    const secret = 'sk-test-0123456789abcdef';
    const result = await runCli(
      [
        'bench',
        ...target(sim.url),
        '--api-key-env',
        'YS_TEST_KEY',
        '--profile',
        'concurrency',
        '--concurrency',
        '1',
        '--requests',
        '3',
        '--json',
      ],
      { cwd, env: { YS_TEST_KEY: secret } },
    );
    expect(result.code).toBe(0);
    expect(result.stdout + result.stderr).not.toContain(secret);
    expect(readFileSync(join(cwd, 'store.db')).includes(secret)).toBe(false);
    const missing = await runCli([
      'bench',
      ...target(sim.url),
      '--api-key-env',
      'YS_UNSET_KEY',
      '--profile',
      'concurrency',
      '--concurrency',
      '1',
      '--requests',
      '1',
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('error[API_KEY_MISSING]: environment variable YS_UNSET_KEY');
  });

  it('saves partial results as interrupted on Ctrl-C and exits 130', async () => {
    const cwd = freshDir();
    const result = await runCli(
      ['bench', ...target(sim.url), '--profile', 'rate', '--rate', '20', '--duration', '30s'],
      {
        cwd,
        onSpawn: (child) => {
          child.stderr?.on('data', (chunk: Buffer) => {
            if (chunk.toString().includes('started')) setTimeout(() => child.kill('SIGINT'), 800);
          });
        },
      },
    );
    expect(result.code).toBe(130);
    expect(result.stdout).toContain('(interrupted)');
    const list = JSON.parse((await runCli(['runs', 'list', '--json'], { cwd })).stdout) as { status: string }[];
    expect(list[0]?.status).toBe('interrupted');
  });
});

describe('yardstick --help and --version', () => {
  it.each([
    [[]],
    [['bench']],
    [['runs']],
    [['runs', 'list']],
    [['runs', 'show']],
    [['runs', 'export']],
    [['serve-sim']],
    [['demo']],
    [['eval']],
    [['compare']],
  ])('%j --help exits 0', async (args) => {
    const result = await runCli([...args, '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: yardstick');
  });

  it('prints the version', async () => {
    const result = await runCli(['--version']);
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('reports an unknown run id with exit 2', async () => {
    const result = await runCli(['runs', 'show', 'nope']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("error[RUN_NOT_FOUND]: no run with id 'nope'");
  });
});
