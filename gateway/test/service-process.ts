import { spawn } from 'node:child_process';
import path from 'node:path';
import { findFreePort } from '@shop/platform';

const repoRoot = path.join(__dirname, '../..');
const READY_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 10_000;

/** A subgraph running as its own operating-system process, as one replica of a deployment does. */
export interface ServiceProcess {
  readonly name: string;
  readonly url: string;
  readonly pid: number;
  /** The last lines it wrote, for a failing test's message. */
  output(): string;
  /** SIGTERM, then SIGKILL if it has not exited after a grace period. */
  stop(): Promise<void>;
}

/**
 * Starts `services/<name>/dist/main.js` with exactly `env` (plus PATH) on a free port and waits
 * until its `/readyz` answers 200. The port variable is `<NAME>_PORT`.
 */
export async function startServiceProcess(name: string, env: Readonly<Record<string, string>>): Promise<ServiceProcess> {
  const port = await findFreePort();
  const child = spawn(process.execPath, [path.join(repoRoot, `services/${name}/dist/main.js`)], {
    env: { PATH: process.env.PATH, ...env, [`${name.toUpperCase()}_PORT`]: String(port), [`${name.toUpperCase()}_HOST`]: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  const keep = (chunk: Buffer) => (tail = (tail + chunk.toString('utf8')).slice(-8_000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(killer);
  };
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!(await isReady(origin))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`${name} did not become ready on ${origin}:\n${tail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { name, url: `${origin}/graphql`, pid: child.pid ?? 0, output: () => tail, stop };
}

async function isReady(origin: string): Promise<boolean> {
  try {
    return (await fetch(`${origin}/readyz`)).status === 200;
  } catch {
    return false;
  }
}
