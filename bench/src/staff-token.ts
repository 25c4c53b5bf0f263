import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { processEnv } from '@shop/platform';
import { REPO_ROOT } from './config';

const run = promisify(execFile);

/** A STAFF access token for the shop in `dataDir`, from `services/embedded/dist/token.cli.js`. */
export async function staffToken(dataDir: string): Promise<string> {
  const { stdout } = await run(process.execPath, [path.join(REPO_ROOT, 'services/embedded/dist/token.cli.js'), '--role', 'STAFF'], {
    cwd: REPO_ROOT,
    env: { ...processEnv(), DATA_DIR: dataDir },
    timeout: 30_000,
  });
  const token = stdout.trim();
  if (!/^[\w-]+\.[\w-]+\.[\w-]+$/.test(token)) throw new Error(`token.cli.js printed no JWT: ${stdout.slice(0, 200)}`);
  return token;
}
