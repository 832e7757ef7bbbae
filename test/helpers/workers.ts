import type { ChildProcess } from 'node:child_process';
import { runCli } from './cli.js';

/** Starts `yardstick worker` on a queue and resolves once it is taking jobs; its stderr is collected in `log`. */
export function startWorker(
  queue: string,
  options: { cwd: string; env?: Record<string, string>; extra?: readonly string[] },
): Promise<{ child: ChildProcess; log: () => string }> {
  return new Promise((resolve, reject) => {
    let err = '';
    void runCli(['worker', '--queue', queue, ...(options.extra ?? [])], {
      cwd: options.cwd,
      ...(options.env === undefined ? {} : { env: options.env }),
      onSpawn: (child) => {
        let out = '';
        child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
        child.stdout?.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes('ready\n')) resolve({ child, log: () => err });
        });
      },
    }).then((result) => reject(new Error(`worker exited early: ${result.stderr}`)));
  });
}

/** Sends a signal to a process and resolves once it has exited. */
export function stopped(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}
