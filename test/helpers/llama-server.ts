import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { TINY_GGUF } from './fixtures.js';
import { freePort } from './free-port.js';

/** Where `npm run setup:llama-server` records the llama-server it built. */
const RECORDED_PATH = fileURLToPath(new URL('../../.optional/llama-server.path', import.meta.url));

/** The llama-server binary: `LLAMA_SERVER_BIN`, else the one `npm run setup:llama-server` built; null when neither exists. */
export function llamaServerBinary(): string | null {
  const fromEnv = process.env.LLAMA_SERVER_BIN;
  if (fromEnv !== undefined && fromEnv !== '') return existsSync(fromEnv) ? fromEnv : null;
  if (!existsSync(RECORDED_PATH)) return null;
  const recorded = readFileSync(RECORDED_PATH, 'utf8').trim();
  return existsSync(recorded) ? recorded : null;
}

export interface RunningLlamaServer {
  /** `http://127.0.0.1:PORT` (no `/v1`). */
  origin: string;
  pid: number;
  /** What the server printed, for failure messages. */
  log(): string;
  /** The value of one sample of its Prometheus metrics (`llamacpp:…`), or null when absent. */
  metric(name: string): Promise<number | null>;
  stop(): Promise<void>;
}

async function waitHealthy(origin: string, child: ChildProcess, log: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`llama-server exited with ${child.exitCode}:\n${log()}`);
    try {
      const response = await fetch(`${origin}/health`, { signal: AbortSignal.timeout(1000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`llama-server was not healthy within ${timeoutMs} ms:\n${log()}`);
}

/**
 * Starts llama.cpp's server on 127.0.0.1 serving the tiny random llama model (4 slots, 2,048 tokens of context
 * shared between them, Prometheus metrics on) and waits until it answers /health.
 */
export async function startLlamaServer(binary: string, extraArgs: readonly string[] = []): Promise<RunningLlamaServer> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const child = spawn(
    binary,
    [
      '-m',
      TINY_GGUF,
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '-c',
      '2048',
      '-np',
      '4',
      '--metrics',
      '-t',
      '2',
      ...extraArgs,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const log = (): string => output;
  try {
    await waitHealthy(origin, child, log, 60_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    origin,
    pid: child.pid ?? -1,
    log,
    async metric(name) {
      const text = await (await fetch(`${origin}/metrics`)).text();
      const line = text.split('\n').find((l) => l.startsWith(`${name} `));
      return line === undefined ? null : Number(line.slice(name.length + 1));
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}
