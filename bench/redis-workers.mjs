// A throwaway redis-server and `yardstick worker` processes for the scale-out benchmarks.
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { CLI } from './lib.mjs';

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Debian's redis-server on 127.0.0.1 and a free port, keeping nothing on disk. */
export async function startRedis() {
  const binary = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).stdout.trim();
  if (binary === '') throw new Error('redis-server is not installed (apt-get install redis-server)');
  const port = await freePort();
  const child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((resolve) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.includes('Ready to accept connections')) resolve();
    });
  });
  return { url: `redis://127.0.0.1:${port}`, stop: () => child.kill('SIGKILL') };
}

/** A `yardstick worker` on the queue, resolved once it takes jobs; `stop()` ends it with Ctrl-C. */
export function startWorker(queue, store) {
  const child = spawn(process.execPath, [CLI, '--store', store, 'worker', '--queue', queue], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`yardstick worker exited with ${code} before taking jobs`)));
    createInterface({ input: child.stdout }).once('line', () =>
      resolve({ stop: () => new Promise((done) => (child.once('exit', done), child.kill('SIGINT'))) }),
    );
  });
}
