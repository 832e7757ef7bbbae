import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env?: Record<string, string>;
  cwd?: string;
  /** Another build of the CLI to run (a copy in a fresh layout). */
  cli?: string;
  /** Called once the process is running, e.g. to send it a signal. */
  onSpawn?: (child: ChildProcess) => void;
}

/** A fresh directory with its own store, so tests never share runs. */
export function freshDir(): string {
  return mkdtempSync(join(tmpdir(), 'ys-cli-'));
}

/** Runs the built CLI and collects its output and exit code. */
export function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  const cwd = options.cwd ?? freshDir();
  const child = spawn(process.execPath, [options.cli ?? CLI, ...args], {
    cwd,
    env: { ...process.env, YARDSTICK_STORE: join(cwd, 'store.db'), ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  options.onSpawn?.(child);
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/**
 * Options that stop the CLI with `signal` once `sent()` reaches `after` requests, and record the run id it
 * announced on stderr (read it from `run.id` after the CLI exits).
 */
export function stopAfter(
  sent: () => number,
  after: number,
  signal: NodeJS.Signals,
  cwd: string,
): CliOptions & { run: { id: string } } {
  const run = { id: '' };
  return {
    cwd,
    run,
    onSpawn: (child) => {
      child.stderr?.on('data', (chunk: Buffer) => {
        run.id ||= /run (\S+) started/.exec(chunk.toString())?.[1] ?? '';
      });
      const timer = setInterval(() => {
        if (sent() >= after) {
          clearInterval(timer);
          child.kill(signal);
        }
      }, 2);
      child.once('close', () => clearInterval(timer));
    },
  };
}
