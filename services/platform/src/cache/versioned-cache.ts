import type { Logger } from '../logging/logger';
import type { CacheStore } from './cache-store';

/**
 * A read-through cache over one namespace (CAT-2). Correctness argument: a reader notes the
 * generation before it reads the database; a writer bumps the generation after its transaction
 * commits. A reader that raced a write stores its (possibly old) value under the old generation,
 * which nobody reads any more. So no read that starts after a committed write sees the old value.
 */
export class VersionedCache<Value> {
  constructor(
    private readonly store: CacheStore,
    private readonly namespace: string,
    private readonly ttlSeconds: number,
    private readonly log: Logger,
  ) {}

  /** Values for `keys`, loading the missing ones with `load` (one call for all of them). */
  async getMany(keys: readonly string[], load: (missing: string[]) => Promise<Map<string, Value>>): Promise<(Value | undefined)[]> {
    const cached = await this.readOrMiss(keys);
    const missing = keys.filter((_key, i) => cached.values[i] === undefined);
    if (missing.length === 0) return cached.values as Value[];
    const loaded = await load(missing);
    if (this.ttlSeconds > 0 && cached.generation !== null && loaded.size > 0) {
      await this.store.write(this.namespace, cached.generation, [...loaded.entries()], this.ttlSeconds).catch((error: unknown) => {
        this.log.warn({ err: error }, 'cache write failed');
      });
    }
    return keys.map((key, i) => (cached.values[i] as Value | undefined) ?? loaded.get(key));
  }

  /** One value, loaded with `load` on a miss; `undefined` results are not cached. */
  async get(key: string, load: () => Promise<Value | undefined>): Promise<Value | undefined> {
    const [value] = await this.getMany([key], async () => {
      const loaded = await load();
      return new Map(loaded === undefined ? [] : [[key, loaded]]);
    });
    return value;
  }

  /** Makes every cached value of the namespace invisible; call it after the write has committed. */
  async invalidate(): Promise<void> {
    await this.store.bump(this.namespace);
  }

  /** A store failure is a miss without a generation: the read goes to the database and stores nothing. */
  private async readOrMiss(keys: readonly string[]): Promise<{ generation: string | null; values: (unknown | undefined)[] }> {
    try {
      return await this.store.read(this.namespace, keys);
    } catch (error) {
      this.log.warn({ err: error }, 'cache read failed');
      return { generation: null, values: keys.map(() => undefined) };
    }
  }
}
