#!/usr/bin/env node
// Adds package-lock.json entries for platform-specific optional packages (macOS, Windows, ARM builds of
// @swc/core, turbo, jest's resolver) that the npm registry mirror of our build machines does not
// carry. npm install skips an optional package it cannot fetch and leaves it out of the lock, but
// `npm ci` then refuses the lock as incomplete. An entry with version, os and cpu is enough: npm ci
// skips it on other platforms without fetching, and a machine of that platform fetches it from its
// own registry. Run it after `npm install` changes the lock: node services/platform/tools/complete-lockfile.mjs
import { readFileSync, writeFileSync } from 'node:fs';

const LOCK = new URL('../../../package-lock.json', import.meta.url);
const OS = { darwin: 'darwin', linux: 'linux', win32: 'win32', windows: 'win32', freebsd: 'freebsd', android: 'android', openharmony: 'openharmony' };
const CPU = { arm64: 'arm64', x64: 'x64', 64: 'x64', ia32: 'ia32', arm: 'arm', ppc64: 'ppc64', s390x: 's390x', riscv64: 'riscv64', loong64: 'loong64', wasm32: 'wasm32' };

/** os, cpu and libc read from a platform package's name, e.g. core-linux-arm64-musl. */
function platformOf(name) {
  const parts = name.split('/').pop().split('-');
  const os = parts.map((part) => OS[part]).find(Boolean);
  const cpu = parts.map((part) => CPU[part]).find(Boolean);
  const libc = parts.some((part) => part === 'musl') ? 'musl' : parts.some((part) => part === 'gnu' || part === 'glibc' || part === 'gnueabihf') ? 'glibc' : undefined;
  return os && cpu ? { os, cpu, libc } : null;
}

const lock = JSON.parse(readFileSync(LOCK, 'utf8'));
let added = 0;
for (const [path, entry] of Object.entries(lock.packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const nested = `${path ? `${path}/` : ''}node_modules/${name}`;
    if (lock.packages[nested] || lock.packages[`node_modules/${name}`]) continue;
    const platform = platformOf(name);
    if (!platform || !/^\d+\.\d+\.\d+/.test(version)) continue;
    lock.packages[`node_modules/${name}`] = {
      version,
      ...(entry.dev ? { dev: true } : {}),
      optional: true,
      os: [platform.os],
      cpu: [platform.cpu],
      ...(platform.libc ? { libc: [platform.libc] } : {}),
    };
    added += 1;
  }
}
lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
writeFileSync(LOCK, `${JSON.stringify(lock, null, 2)}\n`);
process.stdout.write(`complete-lockfile: added ${added} platform entries\n`);
