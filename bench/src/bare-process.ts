import path from 'node:path';
import { processEnv } from '@shop/platform';
import type { Cleanup } from './cleanup';
import { REPO_ROOT } from './config';
import { spawnManaged, type ManagedChild } from './managed-child';

/** The running baseline server. */
export interface BareServer {
  readonly process: ManagedChild;
  readonly url: string;
  /** Size of its fixed response body in bytes. */
  readonly bodyBytes: number;
}

/** Starts bare-server.js as a child and waits for the port it announces. */
export async function startBareServer(cleanup: Cleanup): Promise<BareServer> {
  const child = spawnManaged({ name: 'bare server', args: [path.join(__dirname, 'bare-server.js')], env: processEnv(), cwd: REPO_ROOT, cleanup });
  const match = await child.waitForLine(/^port=(\d+) body=(\d+)$/, 10_000);
  return { process: child, url: `http://127.0.0.1:${match[1]}/`, bodyBytes: Number(match[2]) };
}
