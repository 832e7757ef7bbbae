import { Redis } from 'ioredis';
import { messageOf, YardstickError } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';
import { redactedUrl } from '../store/store-url.js';
import { redisConnection } from './eval-queue.js';

/**
 * Reaches the Redis a queue URL names and has it answer once, so that a wrong URL or a stopped server is one clear
 * error (exit 4) before anything is recorded or waited for, rather than a client retrying forever.
 */
export async function checkQueueReachable(url: string): Promise<void> {
  redisConnection(url);
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 5000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  // The socket's own error (ECONNREFUSED, a DNS failure, a wrong password) says more than the client's.
  let cause: unknown = null;
  client.on('error', (error) => (cause ??= error));
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    throw new YardstickError({
      code: 'QUEUE_UNAVAILABLE',
      message: `cannot reach the queue's Redis at ${redactedUrl(url)}: ${messageOf(cause ?? error)}`,
      hint: 'start redis-server there, or check the host, port and password in --queue',
      exitCode: ExitCode.targetUnreachable,
    });
  } finally {
    client.disconnect();
  }
}
