import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { YardstickError } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';

export interface SpawnedSimulator {
  baseUrl: string;
  pid: number;
  stop(): Promise<void>;
}

/** Starts `yardstick serve-sim` in its own process (so its timers do not share the generator's thread) and waits for its URL. */
export function spawnSimulator(args: readonly string[]): Promise<SpawnedSimulator> {
  const main = fileURLToPath(new URL('../cli/main.js', import.meta.url));
  const child: ChildProcess = spawn(process.execPath, [main, 'serve-sim', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    const fail = (reason: string): void =>
      reject(new YardstickError({ code: 'SIMULATOR_FAILED', message: `the simulated model server did not start: ${reason}`, hint: 'rerun with --debug', exitCode: ExitCode.internal }));
    child.once('error', (error) => fail(error.message));
    child.once('exit', (code) => fail(`it exited with code ${String(code)}`));
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.once('line', (line) => {
      child.removeAllListeners('exit');
      resolve({
        baseUrl: line.trim(),
        pid: child.pid ?? 0,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}
