import { describe, expect, it } from 'vitest';
import { tempFile, yardstickErrorOf } from '../../test/helpers/errors.js';
import { loadBenchConfig } from './load-bench-config.js';

const writeConfig = (text: string): string => tempFile('bench.yaml', text);

describe('loadBenchConfig', () => {
  it('loads a valid file with defaults filled in', () => {
    const path = writeConfig(`target:
  kind: openai-chat
  baseUrl: http://127.0.0.1:8000/v1
  model: tiny
load:
  profile: rate
  ratePerS: 5
  duration: 10s
  warmup: 10%
thresholds:
  - p95(ttft) < 500ms
slo:
  - ttft < 300ms
`);
    const loaded = loadBenchConfig({ path, overrides: {} });
    expect(loaded.config.load).toMatchObject({
      profile: 'rate',
      ratePerS: 5,
      duration: 10_000,
      warmup: { fraction: 0.1 },
    });
    expect(loaded.config.target).toMatchObject({ stream: true, timeout: 60_000 });
    expect(loaded.config.input).toMatchObject({ kind: 'synthetic', inputTokens: 128 });
    expect(loaded.thresholds[0]).toMatchObject({ kind: 'latency', stat: 'p95', metric: 'ttft', limit: 500 });
    expect(loaded.slos[0]).toMatchObject({ metric: 'ttft', limitNs: 300e6 });
  });

  it('reports every problem at once with file, line and field', () => {
    const path = writeConfig(`target:
  kind: openai-chatt
load:
  profile: rate
  ratePerS: -3
  duration: soon
thresholds:
  - p95(ttft) < 500
  - p97(foo) < 1s
`);
    const error = yardstickErrorOf(() => loadBenchConfig({ path, overrides: {} }));
    expect(error.exitCode).toBe(2);
    expect(error.code).toBe('CONFIG_INVALID');
    const byField = new Map(error.problems.map((p) => [p.field, p]));
    expect(byField.get('target.kind')).toMatchObject({ where: `${path}:2`, message: 'unknown kind' });
    expect(byField.get('target.kind')?.hint).toContain('openai-completions');
    expect(byField.get('load.ratePerS')?.where).toBe(`${path}:5`);
    expect(byField.get('load.duration')?.where).toBe(`${path}:6`);
    expect(byField.get('thresholds[0]')?.message).toContain('time unit');
    expect(byField.get('thresholds[1]')?.where).toBe(`${path}:9`);
    expect(error.problems.length).toBe(5);
  });

  it('refuses headers that cannot be sent and an unknown HTTP client, at their lines', () => {
    const path = writeConfig(`target:
  kind: openai-chat
  baseUrl: http://127.0.0.1:8000/v1
  model: tiny
  client: curl
  headers:
    Content-Length: "12"
load:
  profile: rate
  ratePerS: 5
  duration: 10s
`);
    const error = yardstickErrorOf(() => loadBenchConfig({ path, overrides: {} }));
    const byField = new Map(error.problems.map((p) => [p.field, p]));
    expect(byField.get('target.client')?.where).toBe(`${path}:5`);
    expect(byField.get('target.headers')).toMatchObject({ where: `${path}:6` });
    expect(byField.get('target.headers')?.message).toContain("header 'Content-Length' is set from the body");
    const injected = yardstickErrorOf(() =>
      loadBenchConfig({
        path: null,
        overrides: {
          target: {
            kind: 'openai-chat',
            baseUrl: 'http://127.0.0.1:1/v1',
            model: 'm',
            headers: { 'x-a': 'b\r\nx-evil: 1' },
          },
          load: { profile: 'rate', ratePerS: 1, duration: '1s' },
        },
      }),
    );
    expect(injected.problems[0]?.message).toContain('line break');
    expect(
      loadBenchConfig({
        path: null,
        overrides: {
          target: { kind: 'openai-chat', baseUrl: 'http://127.0.0.1:1/v1', model: 'm' },
          load: { profile: 'rate', ratePerS: 1, duration: '1s' },
        },
      }).config.target,
    ).toMatchObject({ client: 'yardstick' });
  });

  it('lists the known profiles for an unknown one and needs a limit', () => {
    const error = yardstickErrorOf(() =>
      loadBenchConfig({
        path: null,
        overrides: { target: { kind: 'openai-chat', baseUrl: 'http://127.0.0.1:1/v1' }, load: { profile: 'burst' } },
      }),
    );
    const fields = error.problems.map((p) => `${p.where} ${p.field} ${p.message}`);
    expect(fields).toContain('command line target.model missing required field (text)');
    expect(error.problems.find((p) => p.field === 'load.profile')?.hint).toBe(
      'known profiles: rate, poisson, gamma, stages, concurrency, throughput, sweep, slo-search, trace',
    );
  });

  it('reports YAML syntax errors with their line', () => {
    const path = writeConfig('target:\n  kind: [unclosed\nload: {}\n');
    const error = yardstickErrorOf(() => loadBenchConfig({ path, overrides: {} }));
    expect(error.problems[0]?.where).toMatch(/bench\.yaml:\d+$/);
  });

  it('flags override the file and are located on the command line', () => {
    const path = writeConfig(`target: { kind: openai-chat, baseUrl: 'http://127.0.0.1:9/v1', model: m }
load: { profile: concurrency, concurrency: 2, requests: 10 }
`);
    const loaded = loadBenchConfig({ path, overrides: { load: { concurrency: 4 } } });
    expect(loaded.config.load).toMatchObject({ concurrency: 4, requests: 10 });
    const error = yardstickErrorOf(() => loadBenchConfig({ path, overrides: { load: { concurrency: 0 } } }));
    expect(error.problems[0]).toMatchObject({ where: 'command line', field: 'load.concurrency' });
  });
});
