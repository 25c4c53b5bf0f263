import { createServer } from 'node:net';

/**
 * Asks the kernel for a TCP port that is free on 127.0.0.1 right now, by listening on port 0
 * and closing again. Used so several embedded PostgreSQL clusters (dev server, test runs) can
 * run side by side without anyone picking port numbers by hand.
 *
 * The port is only free at the moment of the call: another process may take it before the
 * caller binds it, so callers should retry on "address already in use".
 */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : undefined;
      server.close(() => (port === undefined ? reject(new Error('no port assigned')) : resolve(port)));
    });
  });
}
