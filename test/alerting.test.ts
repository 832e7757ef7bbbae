import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSlo } from '../src/efficiency/thresholds.js';
import { alertRulesYaml } from '../src/prometheus/alert-rules.js';
import type { RunningProxy } from '../src/proxy/proxy-server.js';
import { startTestProxy } from './helpers/proxy.js';
import { NO_FAULTS } from '../src/simulator/options.js';
import { startSimulator, type RunningSimulator } from '../src/simulator/server.js';

const PROMETHEUS = '/usr/bin/prometheus';
const ALERTMANAGER = '/usr/bin/prometheus-alertmanager';
const available = existsSync(PROMETHEUS) && existsSync(ALERTMANAGER);
// CI installs Debian's prometheus and prometheus-alertmanager (.ci/run) and must run this.
if (!available && process.env.CI === 'true')
  throw new Error('Prometheus or Alertmanager is not installed: CI must run the alerting test (see .ci/run)');

interface Notification {
  status: string;
  alerts: { status: string; labels: Record<string, string>; annotations: Record<string, string> }[];
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function until<T>(what: string, check: () => Promise<T | null>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => null);
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Starts a daemon in the foreground, keeping its output for the failure message. */
function daemon(binary: string, args: string[]): { child: ChildProcess; log: () => string } {
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout?.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  return { child, log: () => log.slice(-3000) };
}

async function query(
  prometheusUrl: string,
  expr: string,
): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const response = await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(expr)}`);
  const body = (await response.json()) as {
    status: string;
    data: { result: { metric: Record<string, string>; value: [number, string] }[] };
  };
  if (body.status !== 'success') throw new Error(`query ${expr} failed`);
  return body.data.result;
}

let sim: RunningSimulator;
let proxy: RunningProxy;
let hook: Server;
let prometheus: ReturnType<typeof daemon> | null = null;
let alertmanager: ReturnType<typeof daemon> | null = null;
let prometheusUrl = '';
const notifications: Notification[] = [];
let sending = true;
let traffic: Promise<void> = Promise.resolve();

beforeAll(async () => {
  if (!available) return;
  sim = await startSimulator({ ttftMs: 3, itlMs: 1, defaultOutputTokens: 4 });
  const slo = parseSlo('ttft < 1s');
  if (!slo.ok) throw new Error(slo.message);
  proxy = await startTestProxy(sim.url, { slos: ['ttft < 1s'], maxConnections: 8 });
  hook = createServer((req, res) => {
    const pieces: Buffer[] = [];
    req.on('data', (p: Buffer) => pieces.push(p));
    req.on('end', () => {
      notifications.push(JSON.parse(Buffer.concat(pieces).toString()) as Notification);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  const hookPort = (hook.address() as AddressInfo).port;

  const dir = mkdtempSync(join(tmpdir(), 'ys-alerting-'));
  // The shipped rules with windows short enough for a test: the error ratio over 10 s, firing after 2 s of it.
  writeFileSync(
    join(dir, 'rules.yml'),
    alertRulesYaml({
      slos: [slo.value],
      quantile: 0.95,
      objective: 0.99,
      errorRatio: 0.5,
      windowMs: 10_000,
      forMs: 2000,
    }),
  );
  const amPort = await freePort();
  writeFileSync(
    join(dir, 'alertmanager.yml'),
    `route:
  receiver: hook
  group_by: [alertname, model]
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: hook
    webhook_configs:
      - url: http://127.0.0.1:${hookPort}/alerts
        send_resolved: false
`,
  );
  alertmanager = daemon(ALERTMANAGER, [
    `--config.file=${join(dir, 'alertmanager.yml')}`,
    `--storage.path=${join(dir, 'am')}`,
    `--web.listen-address=127.0.0.1:${amPort}`,
    '--cluster.listen-address=',
  ]);
  const proxyTarget = proxy.url.replace(/^http:\/\//, '');
  writeFileSync(
    join(dir, 'prometheus.yml'),
    `global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files: [${join(dir, 'rules.yml')}]
alerting:
  alertmanagers:
    - static_configs:
        - targets: ['127.0.0.1:${amPort}']
scrape_configs:
  - job_name: proxy
    static_configs:
      - targets: ['${proxyTarget}']
`,
  );
  const promPort = await freePort();
  prometheus = daemon(PROMETHEUS, [
    `--config.file=${join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${join(dir, 'tsdb')}`,
    `--web.listen-address=127.0.0.1:${promPort}`,
  ]);
  prometheusUrl = `http://127.0.0.1:${promPort}`;
  await until(
    'Prometheus to be ready',
    async () => ((await fetch(`${prometheusUrl}/-/ready`)).ok ? true : null),
    30_000,
  );
  await until(
    'Alertmanager to be ready',
    async () => ((await fetch(`http://127.0.0.1:${amPort}/-/ready`)).ok ? true : null),
    30_000,
  );
  // Traffic through the proxy for the whole test: a streamed chat request every 50 ms.
  traffic = (async () => {
    while (sending) {
      await fetch(`${proxy.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'sim', messages: [{ role: 'user', content: 'hi' }], stream: true }),
      })
        .then((r) => r.text())
        .catch(() => '');
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
}, 90_000);

afterAll(async () => {
  sending = false;
  await traffic;
  for (const d of [prometheus, alertmanager]) {
    if (d === null || d.child.exitCode !== null) continue;
    const exited = new Promise((r) => d.child.once('exit', r));
    d.child.kill('SIGTERM');
    await exited;
  }
  await proxy?.close();
  await sim?.close();
  await new Promise<void>((r) => (hook === undefined ? r() : hook.close(() => r())));
});

describe.skipIf(!available)('the proxy, a real Prometheus and a real Alertmanager', () => {
  it('Prometheus reads the proxy’s histograms, and an upstream turning faulty raises the error alert through Alertmanager', async () => {
    const context = (): string =>
      `\nprometheus:\n${prometheus?.log() ?? ''}\nalertmanager:\n${alertmanager?.log() ?? ''}`;
    // Healthy: Prometheus scrapes the proxy and computes the ttft quantile from its buckets; nothing fires.
    const p50 = await until(
      'a ttft median from Prometheus',
      async () => {
        const result = await query(
          prometheusUrl,
          'histogram_quantile(0.5, sum by (le) (rate(yardstick_time_to_first_token_seconds_bucket[5s])))',
        );
        const value = Number(result[0]?.value[1]);
        return Number.isFinite(value) ? value : null;
      },
      30_000,
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}${context()}`);
    });
    // The simulator's first token comes after 3 ms: the median lies in the bucket above it (2.5–5 ms).
    expect(p50).toBeGreaterThanOrEqual(0.0025);
    expect(p50).toBeLessThanOrEqual(0.005);
    expect(await query(prometheusUrl, 'ALERTS{alertname="YardstickErrorRatioHigh"}')).toEqual([]);
    expect(notifications).toEqual([]);

    // Faulty: every request now fails with HTTP 500; the alert fires and Alertmanager calls the webhook.
    sim.setFaults({ ...NO_FAULTS, http500: 1 });
    const notification = await until(
      'the webhook to receive the error alert',
      () =>
        Promise.resolve(
          notifications.find((n) => n.alerts.some((a) => a.labels.alertname === 'YardstickErrorRatioHigh')) ?? null,
        ),
      60_000,
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}${context()}`);
    });
    const alert = notification.alerts.find((a) => a.labels.alertname === 'YardstickErrorRatioHigh');
    expect(notification.status).toBe('firing');
    expect(alert?.labels).toMatchObject({ alertname: 'YardstickErrorRatioHigh', model: 'sim', severity: 'warning' });
    expect(alert?.annotations.summary).toBe('more than 50% of the requests to sim fail');
    // The latency alert stays quiet: requests that fail have no first token to be slow.
    expect(notifications.flatMap((n) => n.alerts).some((a) => a.labels.alertname === 'YardstickTtftP95AboveSlo')).toBe(
      false,
    );
  }, 120_000);
});
