import { createServer, type AddressInfo, type Server } from 'node:net';
import { ServerConnection, type ConnectionSettings, type RequestListener } from './server-connection.js';

export interface HttpServerOptions extends Partial<ConnectionSettings> {
  host: string;
  /** 0 picks a free port. */
  port: number;
  onRequest: RequestListener;
}

export interface RunningHttpServer {
  address: AddressInfo;
  /** Stops taking connections, closes idle ones now and the others once their response in flight has ended. */
  close(): Promise<void>;
}

/** Clients of model servers keep connections open between requests. */
const KEEP_ALIVE_TIMEOUT_MS = 30_000;
const REQUEST_TIMEOUT_MS = 60_000;
/** Larger than any prompt a model server takes, small enough that one request cannot exhaust memory. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

/**
 * An HTTP/1.1 server on plain TCP sockets (src/http-server/): requests are read whole, answers are written straight
 * to the socket. Built for a proxy's fast path, where the general-purpose server's per-request objects and streams
 * cost more than the forwarding itself. Rejects with the listen error (EADDRINUSE, EACCES) when it cannot listen.
 */
export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const settings: ConnectionSettings = {
    keepAliveTimeoutMs: options.keepAliveTimeoutMs ?? KEEP_ALIVE_TIMEOUT_MS,
    requestTimeoutMs: options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS,
    maxBodyBytes: options.maxBodyBytes ?? MAX_BODY_BYTES,
  };
  const connections = new Set<ServerConnection>();
  let closing = false;
  const server: Server = createServer({ allowHalfOpen: true, noDelay: true }, (socket) => {
    const connection = new ServerConnection(socket, settings, options.onRequest, (gone) => connections.delete(gone));
    connections.add(connection);
    if (closing) connection.drain();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the server has no TCP address');
  return {
    address,
    close: () =>
      new Promise<void>((resolve) => {
        closing = true;
        server.close(() => resolve());
        for (const connection of connections) connection.drain();
      }),
  };
}
