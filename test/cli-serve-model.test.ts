import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { CLI, runCli } from './helpers/cli.js';

describe('yardstick serve-model', () => {
  it('trains the named reference model, serves it on a free port, and stops on Ctrl-C', async () => {
    const child = spawn(process.execPath, [CLI, 'serve-model', '--models', 'iris-forest'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      const url = await new Promise<string>((resolve) =>
        createInterface({ input: child.stdout }).once('line', (line) => resolve(line.trim())),
      );
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
      const response = await fetch(`${url}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'iris-forest', messages: [{ role: 'user', content: '6.3,3.3,6.0,2.5' }] }),
      });
      const body = (await response.json()) as { choices: { message: { content: string } }[] };
      expect(body.choices[0]?.message.content).toBe('virginica');
      expect(stderr).toContain('iris-forest: random forest of 50 trees');
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    }
  });

  it('refuses an unknown model and a taken port with exit 2, before training anything', async () => {
    const unknown = await runCli(['serve-model', '--models', 'spam-nb,gpt-5']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("error[MODEL_UNKNOWN]: no reference model 'gpt-5'");
    expect(unknown.stderr).toContain('spam-nb, spam-logreg, spam-knn, iris-forest');
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const taken = await runCli(['serve-model', '--port', String(port)]);
      expect(taken.code).toBe(2);
      expect(taken.stderr).toContain(`error[PORT_IN_USE]: port ${port} on 127.0.0.1 is already in use`);
      expect(taken.stderr).not.toContain('training');
    } finally {
      blocker.close();
    }
  });
});
