import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { join } from 'node:path';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../src/simulator/server.js';
import { CLI, freshDir, runCli } from './helpers/cli.js';
import { sampleSum } from './helpers/prometheus-text.js';

let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator({ ttftMs: 5, itlMs: 1, defaultOutputTokens: 4 });
});

afterAll(async () => {
  await sim.close();
});

/** A `yardstick proxy` process, started with `args`, once it has printed its address. */
interface ProxyProcess {
  url: string;
  pid: number;
  /** What it wrote to stderr so far. */
  stderr(): string;
  /** Sends the signal (Ctrl-C by default) and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

async function startProxyProcess(args: readonly string[]): Promise<ProxyProcess> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await new Promise<string>((resolve) =>
    createInterface({ input: child.stdout }).once('line', (line) => resolve(line.trim())),
  );
  return {
    url,
    pid: child.pid ?? 0,
    stderr: () => stderr,
    stop: (signal = 'SIGINT') => {
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill(signal);
      return exited;
    },
  };
}

describe('yardstick proxy', () => {
  it('prints its address, passes a streamed request through, exports it, and stops on Ctrl-C', async () => {
    const proxy = await startProxyProcess([
      'proxy',
      '--upstream',
      sim.url,
      '--listen',
      '127.0.0.1:0',
      '--slo',
      'ttft < 2s',
    ]);
    const url = proxy.url;
    try {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const response = await fetch(`${url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'sim', messages: [{ role: 'user', content: 'hi' }], stream: true }),
      });
      expect(response.headers.get('content-type')).toContain('text/event-stream');
      expect(await response.text()).toContain('data: [DONE]');
      const metrics = await (await fetch(`${url}/metrics`)).text();
      expect(sampleSum(metrics, 'yardstick_requests_total', { model: 'sim', outcome: 'ok' })).toBe(1);
      expect(sampleSum(metrics, 'yardstick_good_requests_total', { model: 'sim' })).toBe(1);
      expect(sampleSum(metrics, 'yardstick_generation_tokens_total', { model: 'sim' })).toBe(4);
      // Each thread's own heap: forwarding runs on a worker with a heap of its own.
      const forwarding = sampleSum(metrics, 'yardstick_thread_heap_size_used_bytes', { thread: 'forwarding' });
      const measuring = sampleSum(metrics, 'yardstick_thread_heap_size_used_bytes', { thread: 'measuring' });
      expect(forwarding).toBeGreaterThan(1e6);
      expect(measuring).toBeGreaterThan(1e6);
      expect(forwarding).not.toBe(measuring);
      expect(sampleSum(metrics, 'yardstick_thread_heap_size_total_bytes', { thread: 'forwarding' })).toBeGreaterThan(
        forwarding,
      );
      expect(proxy.stderr()).toContain(`passing traffic to ${sim.url}/`);
      if (process.platform === 'linux') {
        // The measuring thread (the main one) gives way to the others for a core; forwarding keeps the nice it had.
        const niceOf = (tid: string): number =>
          Number(readFileSync(`/proc/${proxy.pid}/task/${tid}/stat`, 'utf8').split(') ')[1]?.split(' ')[16]);
        const others = readdirSync(`/proc/${proxy.pid}/task`)
          .filter((tid) => tid !== String(proxy.pid))
          .map(niceOf);
        expect(niceOf(String(proxy.pid))).toBe(Math.min(19, getPriority(0) + 5));
        expect(others).toContain(getPriority(0));
      }
    } finally {
      expect(await proxy.stop()).toBe(0);
    }
  });

  it('records the session as a run with a redacted sample of the traffic; kill -9 loses only the last second', async () => {
    const dir = freshDir();
    const store = join(dir, 'ys.db');
    const start = (): Promise<ProxyProcess> =>
      startProxyProcess([
        '--store',
        store,
        'proxy',
        '--upstream',
        sim.url,
        '--listen',
        '127.0.0.1:0',
        '--sample',
        '100%',
        '--redact',
        '[\\w.]+@[\\w.]+',
        '--redact-field',
        'user',
      ]);
    const ask = async (url: string, i: number): Promise<void> => {
      const response = await fetch(`${url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'sim',
          user: `u${i}`,
          messages: [{ role: 'user', content: `mail me at a${i}@b.io` }],
        }),
      });
      await response.text();
    };

    const first = await start();
    for (let i = 0; i < 3; i += 1) await ask(first.url, i);
    await fetch(`${first.url}/v1/models`).then((r) => r.text());
    expect(await first.stop()).toBe(0);
    const runs = JSON.parse((await runCli(['--store', store, 'runs', 'list', '--json'])).stdout) as {
      id: string;
      kind: string;
      status: string;
    }[];
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ kind: 'proxy', status: 'completed' });
    const id = runs[0]?.id ?? '';
    const shown = await runCli(['--store', store, 'runs', 'show', id]);
    expect(shown.stdout).toContain('measured requests: 3 (ok 3); passed through unmeasured: 1');
    expect(shown.stdout).toContain('sampling 100%: kept 3');
    const samples = JSON.parse((await runCli(['--store', store, 'runs', 'export', id, '--cases'])).stdout) as {
      request: { user: string; messages: { content: string }[] };
      output: string;
      outcome: string;
    }[];
    expect(samples).toHaveLength(3);
    for (const sample of samples) {
      expect(sample.outcome).toBe('ok');
      expect(sample.request.user).toBe('[redacted]');
      expect(sample.request.messages[0]?.content).toBe('mail me at [redacted]');
      expect(sample.output.length).toBeGreaterThan(0);
    }

    // Killed without warning: what was sampled more than a flush interval (1 s) before is in the store.
    const second = await start();
    for (let i = 0; i < 4; i += 1) await ask(second.url, i);
    await new Promise((r) => setTimeout(r, 1500));
    await second.stop('SIGKILL');
    const after = JSON.parse((await runCli(['--store', store, 'runs', 'list', '--json'])).stdout) as {
      id: string;
      status: string;
    }[];
    const crashed = after.find((r) => r.id !== id);
    expect(crashed?.status).toBe('running');
    const kept = JSON.parse(
      (await runCli(['--store', store, 'runs', 'export', crashed?.id ?? '', '--cases'])).stdout,
    ) as unknown[];
    expect(kept).toHaveLength(4);
  });

  it('compares sampled requests with a reference window by window, and advises on replicas from a capacity', async () => {
    const dir = freshDir();
    const store = join(dir, 'ys.db');
    const countries = ['France', 'Peru', 'Japan', 'Kenya', 'Norway'];
    const usual = (i: number): { prompt: string; max_tokens: number; temperature: number } => ({
      prompt: `what is the capital of ${countries[i % 5] ?? ''}`,
      max_tokens: [16, 32, 64][i % 3] ?? 16,
      temperature: 0.5,
    });
    const reference = join(dir, 'reference.jsonl');
    writeFileSync(reference, Array.from({ length: 60 }, (_, i) => JSON.stringify(usual(i))).join('\n'));
    const proxy = await startProxyProcess([
      '--store',
      store,
      'proxy',
      '--upstream',
      sim.url,
      '--listen',
      '127.0.0.1:0',
      '--sample',
      '100%',
      '--reference',
      reference,
      '--window',
      '30',
      '--window-min-rows',
      '10',
      '--capacity',
      '4/s',
      '--replicas',
      '1',
    ]);
    const url = proxy.url;
    const ask = async (body: { prompt: string; max_tokens: number; temperature: number }): Promise<void> => {
      const response = await fetch(`${url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'sim',
          max_tokens: body.max_tokens,
          temperature: body.temperature,
          messages: [{ role: 'user', content: body.prompt }],
        }),
      });
      await response.text();
    };
    try {
      for (let i = 0; i < 30; i += 1) await ask(usual(i));
      for (let i = 0; i < 30; i += 1)
        await ask({
          prompt: `translate this long paragraph about ${countries[i % 5] ?? ''} into French and keep every name as written`,
          max_tokens: 512,
          temperature: 0.5,
        });
      // The gauges of the load are set at each flush (every second).
      await new Promise((r) => setTimeout(r, 1200));
      const metrics = await (await fetch(`${url}/metrics`)).text();
      expect(sampleSum(metrics, 'yardstick_drift_windows_total', { result: 'stable' })).toBe(1);
      expect(sampleSum(metrics, 'yardstick_drift_windows_total', { result: 'drifted' })).toBe(1);
      expect(sampleSum(metrics, 'yardstick_drift_detected', { column: 'max_tokens' })).toBe(1);
      expect(sampleSum(metrics, 'yardstick_drift_detected', { column: 'prompt' })).toBe(1);
      expect(sampleSum(metrics, 'yardstick_drift_detected', { column: 'temperature' })).toBe(0);
      expect(sampleSum(metrics, 'yardstick_drift_dataset_detected', {})).toBe(1);
      expect(sampleSum(metrics, 'yardstick_data_quality_findings', { check: 'out-of-range' })).toBe(1);
      // Five distinct prompts make the column categorical: the new prompts are new categories.
      expect(sampleSum(metrics, 'yardstick_data_quality_findings', { check: 'new-categories' })).toBe(1);
      expect(sampleSum(metrics, 'yardstick_replica_capacity_requests_per_second', {})).toBe(4);
      expect(sampleSum(metrics, 'yardstick_replicas_needed', { load: 'current' })).toBeGreaterThanOrEqual(1);
    } finally {
      expect(await proxy.stop()).toBe(0);
    }
    const runs = JSON.parse((await runCli(['--store', store, 'runs', 'list', '--json'])).stdout) as { id: string }[];
    const id = runs[0]?.id ?? '';
    const shown = await runCli(['--store', store, 'runs', 'show', id]);
    expect(shown.stdout).toContain('drift against reference.jsonl (60 rows), every 30 rows: 2 windows, 1 drifted');
    expect(shown.stdout).toMatch(
      /last window \(1, ending [^)]+\): drifted in prompt, max_tokens; 2 data-quality findings/,
    );
    expect(shown.stdout).toMatch(/scaling: [\d.]+\/s now .* at 4\.00\/s per replica with 30% headroom/);
    const samples = JSON.parse((await runCli(['--store', store, 'runs', 'export', id, '--cases'])).stdout) as unknown[];
    expect(samples).toHaveLength(60);
    const report = await runCli(['--store', store, 'report', id, '-o', join(dir, 'report')]);
    expect(report.code).toBe(0);
    const html = readFileSync(join(dir, 'report', 'report.html'), 'utf8');
    expect(html).toContain('data-chart="drift-effect"');
    expect(html).toContain('data-chart="drift-p-value"');
    expect(html).not.toContain('data-missing="true"');
    expect(html).toMatch(/<td>0<\/td><td>[^<]+<\/td><td>30<\/td><td>stable<\/td>/);
    expect(html).toMatch(
      /<td>1<\/td><td>[^<]+<\/td><td>30<\/td><td>drifted<\/td><td class="text">prompt, max_tokens<\/td>/,
    );
    expect(html).toContain('one replica sustains 4.000 requests/s (4/s as given)');
  }, 60_000);

  it('takes the per-replica capacity from a stored sweep under the capacity SLOs, as plan does', async () => {
    const dir = freshDir();
    const store = join(dir, 'ys.db');
    const sweep = JSON.parse(
      (
        await runCli([
          '--store',
          store,
          'bench',
          '--url',
          `${sim.url}/v1`,
          '--model',
          'sim',
          '--profile',
          'sweep',
          '--steps',
          '2',
          '--duration',
          '1s',
          '--json',
        ])
      ).stdout,
    ) as { runId: string };
    const plan = JSON.parse(
      (await runCli(['--store', store, 'plan', sweep.runId, '--slo', 'p95(ttft) < 5s', '--json'])).stdout,
    ) as { sustainablePerS: number; sustainableStep: string };
    const proxy = await startProxyProcess([
      '--store',
      store,
      'proxy',
      '--upstream',
      sim.url,
      '--listen',
      '127.0.0.1:0',
      '--capacity',
      sweep.runId,
      '--capacity-slo',
      'p95(ttft) < 5s',
    ]);
    const url = proxy.url;
    await new Promise((r) => setTimeout(r, 1200));
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(sampleSum(metrics, 'yardstick_replica_capacity_requests_per_second', {})).toBe(plan.sustainablePerS);
    expect(await proxy.stop()).toBe(0);
    const runs = JSON.parse((await runCli(['--store', store, 'runs', 'list', '--json'])).stdout) as {
      id: string;
      kind: string;
    }[];
    const proxyRun = runs.find((r) => r.kind === 'proxy');
    const shown = await runCli(['--store', store, 'runs', 'show', proxyRun?.id ?? '']);
    expect(shown.stdout).toContain(
      `(capacity: sweep ${sweep.runId}, step ${plan.sustainableStep} under p95(ttft) < 5s)`,
    );
  });

  it('measures a JSON API given with --measure: its answer at the output path, a missing one as malformed', async () => {
    const dir = freshDir();
    const store = join(dir, 'ys.db');
    const api = createHttpServer((req, res) => {
      const pieces: Buffer[] = [];
      req.on('data', (p: Buffer) => pieces.push(p));
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(pieces).toString()) as { text: string };
        const answer =
          body.text === 'broken' ? { nothing: true } : { label: body.text.includes('free') ? 'spam' : 'ham' };
        setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer)), 5);
      });
    });
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    const apiUrl = `http://127.0.0.1:${(api.address() as { port: number }).port}`;
    const proxy = await startProxyProcess([
      '--store',
      store,
      'proxy',
      '--upstream',
      apiUrl,
      '--listen',
      '127.0.0.1:0',
      '--measure',
      '/predict=label',
      '--sample',
      '100%',
    ]);
    const url = proxy.url;
    try {
      const post = async (text: string, path = '/predict'): Promise<unknown> =>
        (
          await fetch(`${url}${path}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ text, model: 'clf' }),
          })
        ).json();
      expect(await post('win a free prize')).toEqual({ label: 'spam' });
      expect(await post('see you at lunch')).toEqual({ label: 'ham' });
      expect(await post('broken')).toEqual({ nothing: true });
      expect(await post('not measured', '/other')).toEqual({ label: 'ham' });
      const metrics = await (await fetch(`${url}/metrics`)).text();
      expect(
        sampleSum(metrics, 'yardstick_requests_total', { endpoint: '/predict', model: 'clf', outcome: 'ok' }),
      ).toBe(2);
      expect(
        sampleSum(metrics, 'yardstick_requests_total', { endpoint: '/predict', outcome: 'malformed_response' }),
      ).toBe(1);
      expect(sampleSum(metrics, 'yardstick_request_duration_seconds_count', { endpoint: '/predict' })).toBe(2);
      expect(sampleSum(metrics, 'yardstick_request_duration_seconds_sum', { endpoint: '/predict' })).toBeGreaterThan(
        0.01,
      );
    } finally {
      expect(await proxy.stop()).toBe(0);
      api.close();
    }
    const runs = JSON.parse((await runCli(['--store', store, 'runs', 'list', '--json'])).stdout) as { id: string }[];
    const samples = JSON.parse(
      (await runCli(['--store', store, 'runs', 'export', runs[0]?.id ?? '', '--cases'])).stdout,
    ) as { endpoint: string; output: string; outcome: string }[];
    expect(samples.map((s) => [s.endpoint, s.outcome, s.output])).toEqual([
      ['/predict', 'ok', 'spam'],
      ['/predict', 'ok', 'ham'],
      ['/predict', 'malformed_response', ''],
    ]);
    const bad = await runCli(['proxy', '--upstream', apiUrl, '--measure', 'predict', '--measure', '/x=']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("command line: --measure[0]: 'predict' is not PATH=OUTPUT_PATH");
    expect(bad.stderr).toContain("command line: --measure[1]: '/x=' is not PATH=OUTPUT_PATH");
  });

  it('refuses drift and scaling flags that cannot work, each with its reason', async () => {
    const bad = await runCli([
      'proxy',
      '--upstream',
      sim.url,
      '--reference',
      'ref.csv',
      '--window',
      '10ms',
      '--window-min-rows',
      '0',
      '--drift-method',
      'vote',
      '--headroom',
      'lots',
      '--replicas',
      '2',
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("error[FLAG_INVALID]: the proxy's flags have 6 problems");
    expect(bad.stderr).toContain("command line: --window: '10ms' is neither a duration of 1 s or more nor a count");
    expect(bad.stderr).toContain("command line: --window-min-rows: '0' is not a positive integer");
    expect(bad.stderr).toContain("command line: --drift-method: 'vote' is not a method");
    expect(bad.stderr).toContain(
      'command line: --reference: drift is measured on sampled requests, and sampling is off',
    );
    expect(bad.stderr).toContain("command line: --headroom: 'lots' is not a share");
    expect(bad.stderr).toContain('command line: --replicas: scaling advice needs what one replica sustains');
    const dir = freshDir();
    const capacity = await runCli(['--store', join(dir, 'ys.db'), 'proxy', '--upstream', sim.url, '--capacity', 'r-1']);
    expect(capacity.code).toBe(2);
    expect(capacity.stderr).toContain("command line: --capacity: no run with id 'r-1' in the store");
    const missing = await runCli([
      'proxy',
      '--upstream',
      sim.url,
      '--sample',
      '5%',
      '--reference',
      join(dir, 'absent.jsonl'),
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('absent.jsonl');
  });

  it('lists every bad flag at once with exit 2, and refuses a taken port', async () => {
    const bad = await runCli([
      'proxy',
      '--listen',
      'nowhere',
      '--slo',
      'ttft <',
      '--timeout',
      'soon',
      '--max-connections',
      '0',
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("error[FLAG_INVALID]: the proxy's flags have 5 problems");
    for (const field of ['--upstream', '--listen', '--slo[0]', '--timeout', '--max-connections'])
      expect(bad.stderr).toContain(`command line: ${field}:`);
    const sampling = await runCli([
      'proxy',
      '--upstream',
      sim.url,
      '--slo',
      'scheduleLag < 1ms',
      '--metrics-path',
      'metrics',
      '--sample',
      '0%',
      '--redact',
      '(unclosed',
      '--sample-budget',
      'lots',
      '--seed',
      'x',
    ]);
    expect(sampling.code).toBe(2);
    expect(sampling.stderr).toContain("error[FLAG_INVALID]: the proxy's flags have 6 problems");
    expect(sampling.stderr).toContain(
      'command line: --slo[0]: scheduleLag needs an intended send time, which live traffic does not have',
    );
    expect(sampling.stderr).toContain("command line: --metrics-path: 'metrics' is not a path");
    expect(sampling.stderr).toContain("command line: --sample: '0%' is not a share above 0% and at most 100%");
    expect(sampling.stderr).toContain('command line: --redact[0]: Invalid regular expression');
    expect(sampling.stderr).toContain("command line: --sample-budget: 'lots' is not a size");
    expect(sampling.stderr).toContain("command line: --seed: 'x' is not an integer");
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const taken = await runCli(['proxy', '--upstream', sim.url, '--listen', `127.0.0.1:${port}`]);
      expect(taken.code).toBe(2);
      expect(taken.stderr).toContain(`error[PORT_IN_USE]: port ${port} on 127.0.0.1 is already in use`);
    } finally {
      blocker.close();
    }
  });
});
