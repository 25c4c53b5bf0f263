import { LRUCache } from 'lru-cache';
import type { CacheStore } from './cache-store';

/** The in-process store used without Redis (embedded mode, one process): an LRU with expiry. */
export class MemoryCacheStore implements CacheStore {
  private readonly generations = new Map<string, number>();
  private readonly entries: LRUCache<string, { value: unknown }>;

  constructor(maxEntries = 10_000) {
    this.entries = new LRUCache({ max: maxEntries });
  }

  private generation(namespace: string): string {
    return String(this.generations.get(namespace) ?? 0);
  }

  async read(namespace: string, keys: readonly string[]) {
    const generation = this.generation(namespace);
    return { generation, values: keys.map((key) => this.entries.get(`${namespace}:${generation}:${key}`)?.value) };
  }

  async write(namespace: string, generation: string, entries: readonly (readonly [string, unknown])[], ttlSeconds: number) {
    if (generation !== this.generation(namespace)) return;
    for (const [key, value] of entries) this.entries.set(`${namespace}:${generation}:${key}`, { value }, { ttl: ttlSeconds * 1000 });
  }

  async bump(namespace: string) {
    this.generations.set(namespace, (this.generations.get(namespace) ?? 0) + 1);
  }

  async ping() {
    return true;
  }

  async close() {
    this.entries.clear();
  }
}
