import { connect } from 'node:net';
import { YardstickError, messageOf } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';
import type { ErrorCategory } from '../core/types.js';
import type { HttpClientKind, HttpDispatcher } from '../http/dispatcher.js';
import { endpointOf } from '../http/http1-connection.js';
import { Http1Pool } from '../http/http1-pool.js';
import { UndiciDispatcher } from '../http/undici-dispatcher.js';

/** Keep-alive connections to one origin through the chosen client, as many as the run's concurrency. */
export function createDispatcher(
  url: URL,
  client: HttpClientKind,
  maxConnections: number,
  timeoutMs: number,
): HttpDispatcher {
  return client === 'undici'
    ? new UndiciDispatcher(url, maxConnections, timeoutMs)
    : new Http1Pool(url, maxConnections);
}

/** The category of an HTTP error status. */
export function categoryOfStatus(status: number): ErrorCategory {
  if (status === 429) return 'http_429';
  if (status >= 500) return 'http_5xx';
  return 'http_4xx';
}

/** Fails with exit 4 unless a TCP connection to the URL's host and port opens within `timeoutMs`. */
export async function checkTcpReachable(url: URL, timeoutMs = 5000): Promise<void> {
  const { host, port } = endpointOf(url);
  await new Promise<void>((resolve, reject) => {
    const socket = connect({ host, port, timeout: timeoutMs });
    socket.once('connect', () => {
      socket.destroy();
      resolve();
    });
    socket.once('timeout', () => {
      socket.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms`));
    });
    socket.once('error', reject);
  }).catch((error: unknown) => {
    throw new YardstickError({
      code: 'TARGET_UNREACHABLE',
      message: `cannot reach ${url.origin}: ${messageOf(error)}`,
      hint: 'start the server, or fix the target URL in the config or flags',
      exitCode: ExitCode.targetUnreachable,
      cause: error,
    });
  });
}

/** Reads the API key from the environment variable the config names; never logged or stored. */
export function apiKeyFrom(envName: string | undefined): string | null {
  if (envName === undefined) return null;
  const value = process.env[envName];
  if (value === undefined || value === '') {
    throw new YardstickError({
      code: 'API_KEY_MISSING',
      message: `environment variable ${envName} (named by target.apiKeyEnv) is not set`,
      hint: `export ${envName}=… before running, or remove apiKeyEnv if the server needs no key`,
      exitCode: ExitCode.usage,
    });
  }
  return value;
}
