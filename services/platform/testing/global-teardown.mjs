/** Jest global teardown: stops the embedded PostgreSQL that global-setup started, if any, and removes its files. */
import { rm } from 'node:fs/promises';
import { dirname, sep } from 'node:path';
import { STATE_KEY } from './global-setup.mjs';

export default async function globalTeardown() {
  const state = globalThis[STATE_KEY];
  if (!state) return;
  delete globalThis[STATE_KEY];
  await state.server.stop();
  await rm(state.tempDir, { recursive: true, force: true });
  // As root with an untraversable TMPDIR, the cluster went to /var/lib/shop-postgres/<hash>/postgres.
  if (!state.server.clusterDir.startsWith(state.tempDir + sep)) {
    await rm(dirname(state.server.clusterDir), { recursive: true, force: true });
  }
}
