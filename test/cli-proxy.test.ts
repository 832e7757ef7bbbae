import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../src/simulator/server.js';
import { CLI, runCli } from './helpers/cli.js';
import { sampleSum } from './helpers/prometheus-text.js';

let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator({ ttftMs: 5, itlMs: 1, defaultOutputTokens: 4 });
});

afterAll(async () => {
  await sim.close();
});

describe('yardstick proxy', () => {
  it('prints its address, passes a streamed request through, exports it, and stops on Ctrl-C', async () => {
    const child = spawn(
      process.execPath,
      [CLI, 'proxy', '--upstream', sim.url, '--listen', '127.0.0.1:0', '--slo', 'ttft < 2s'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      const url = await new Promise<string>((resolve) =>
        createInterface({ input: child.stdout }).once('line', (line) => resolve(line.trim())),
      );
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
      expect(stderr).toContain(`passing traffic to ${sim.url}/`);
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    }
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
