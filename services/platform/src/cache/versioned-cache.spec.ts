import { logger } from '../logging/logger';
import type { CacheStore } from './cache-store';
import { MemoryCacheStore } from './memory-cache-store';
import { VersionedCache } from './versioned-cache';

const quiet = logger.child({}, { level: 'silent' });

interface Product {
  readonly id: string;
  readonly name: string;
}

/** A loader that records every call, answering from a mutable "database". */
function fakeDatabase(rows: Record<string, Product>) {
  const calls: string[][] = [];
  const load = async (missing: string[]) => {
    calls.push([...missing]);
    return new Map(missing.filter((id) => rows[id]).map((id) => [id, rows[id] as Product]));
  };
  return { rows, calls, load };
}

/** A promise with its resolve function outside, to order two concurrent requests by hand. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('VersionedCache over MemoryCacheStore', () => {
  let store: MemoryCacheStore;
  let cache: VersionedCache<Product>;

  beforeEach(() => {
    store = new MemoryCacheStore();
    cache = new VersionedCache<Product>(store, 'products', 60, quiet);
  });

  test('CAT-2: a miss loads from the database, a later read is a hit that does not', async () => {
    const db = fakeDatabase({ p1: { id: 'p1', name: 'Mug' } });
    expect(await cache.get('p1', async () => (await db.load(['p1'])).get('p1'))).toEqual({ id: 'p1', name: 'Mug' });
    expect(db.calls).toEqual([['p1']]);
    db.rows.p1 = { id: 'p1', name: 'changed without invalidation' };
    expect(await cache.get('p1', async () => (await db.load(['p1'])).get('p1'))).toEqual({ id: 'p1', name: 'Mug' });
    expect(db.calls).toEqual([['p1']]);
  });

  test('CAT-2: a value the loader does not find is not cached', async () => {
    const db = fakeDatabase({});
    expect(await cache.get('ghost', async () => (await db.load(['ghost'])).get('ghost'))).toBeUndefined();
    expect(await cache.get('ghost', async () => (await db.load(['ghost'])).get('ghost'))).toBeUndefined();
    expect(db.calls).toEqual([['ghost'], ['ghost']]);
  });

  test('CAT-2: getMany loads only the missing keys, in one call, and answers in key order', async () => {
    const db = fakeDatabase({ a: { id: 'a', name: 'A' }, b: { id: 'b', name: 'B' }, c: { id: 'c', name: 'C' }, d: { id: 'd', name: 'D' } });
    await cache.getMany(['b', 'd'], db.load);
    db.calls.length = 0;
    const values = await cache.getMany(['a', 'b', 'c', 'd', 'x'], db.load);
    expect(values.map((value) => value?.id)).toEqual(['a', 'b', 'c', 'd', undefined]);
    expect(db.calls).toEqual([['a', 'c', 'x']]);
    db.calls.length = 0;
    await cache.getMany(['a', 'b', 'c', 'd'], db.load);
    expect(db.calls).toEqual([]);
  });

  test('CAT-2: invalidate makes every value stored before it invisible', async () => {
    const db = fakeDatabase({ a: { id: 'a', name: 'old A' }, b: { id: 'b', name: 'old B' } });
    await cache.getMany(['a', 'b'], db.load);
    db.rows.a = { id: 'a', name: 'new A' };
    db.rows.b = { id: 'b', name: 'new B' };
    await cache.invalidate();
    expect((await cache.getMany(['a', 'b'], db.load)).map((value) => value?.name)).toEqual(['new A', 'new B']);
    expect(db.calls).toEqual([['a', 'b'], ['a', 'b']]);
  });

  test('CAT-2: invalidating one namespace leaves another namespace cached', async () => {
    const other = new VersionedCache<Product>(store, 'categories', 60, quiet);
    const db = fakeDatabase({ a: { id: 'a', name: 'A' } });
    await other.getMany(['a'], db.load);
    await cache.invalidate();
    await other.getMany(['a'], db.load);
    expect(db.calls).toEqual([['a']]);
  });

  test('CAT-2: a read that started before a write and finishes after it never makes its stale value visible to later reads', async () => {
    const loaderStarted = deferred<void>();
    const staleRow = deferred<Product>();
    // Reader 1 notes the generation, then reads the database (the old row) slowly.
    const slowReader = cache.get('p1', async () => {
      loaderStarted.resolve();
      return staleRow.promise;
    });
    await loaderStarted.promise;
    // Meanwhile the writer commits the new name and invalidates.
    await cache.invalidate();
    // Reader 1's old row arrives only now and it tries to store it.
    staleRow.resolve({ id: 'p1', name: 'old name' });
    expect(await slowReader).toEqual({ id: 'p1', name: 'old name' });
    // Reader 2 started after the invalidation: it must read the database, not reader 1's value.
    const freshLoads: string[] = [];
    const fresh = await cache.get('p1', async () => {
      freshLoads.push('p1');
      return { id: 'p1', name: 'new name' };
    });
    expect(fresh).toEqual({ id: 'p1', name: 'new name' });
    expect(freshLoads).toEqual(['p1']);
    // And the fresh value is what stays cached.
    expect(await cache.get('p1', async () => ({ id: 'p1', name: 'not loaded' }))).toEqual({ id: 'p1', name: 'new name' });
  });

  test('CAT-2: ttlSeconds 0 never stores anything', async () => {
    const write = jest.spyOn(store, 'write');
    const uncached = new VersionedCache<Product>(store, 'products', 0, quiet);
    const db = fakeDatabase({ a: { id: 'a', name: 'A' } });
    await uncached.getMany(['a'], db.load);
    await uncached.getMany(['a'], db.load);
    expect(db.calls).toEqual([['a'], ['a']]);
    expect(write).not.toHaveBeenCalled();
  });

  test('CAT-2: when the store fails, reads go to the database and nothing is stored', async () => {
    const broken: CacheStore = {
      read: async () => {
        throw new Error('store down');
      },
      write: jest.fn(async () => undefined),
      bump: async () => undefined,
      ping: async () => false,
      close: async () => undefined,
    };
    const db = fakeDatabase({ a: { id: 'a', name: 'A' } });
    const fallback = new VersionedCache<Product>(broken, 'products', 60, quiet);
    expect(await fallback.get('a', async () => (await db.load(['a'])).get('a'))).toEqual({ id: 'a', name: 'A' });
    expect(await fallback.getMany(['a'], db.load)).toEqual([{ id: 'a', name: 'A' }]);
    expect(broken.write).not.toHaveBeenCalled();
  });
});
