import DataLoader from 'dataloader';

/**
 * The DataLoaders of one request, created on first use by name. Each request gets a fresh registry,
 * so batching never leaks data between callers (CAT-3).
 */
export class LoaderRegistry {
  private readonly loaders = new Map<string, DataLoader<unknown, unknown>>();

  /** The loader called `name`, created with `batch` the first time it is asked for. */
  get<Key, Value>(name: string, batch: DataLoader.BatchLoadFn<Key, Value>, options?: DataLoader.Options<Key, Value>): DataLoader<Key, Value> {
    let loader = this.loaders.get(name) as DataLoader<Key, Value> | undefined;
    if (!loader) {
      loader = new DataLoader(batch, options);
      this.loaders.set(name, loader as DataLoader<unknown, unknown>);
    }
    return loader;
  }

  /** `load` run at most once per request under `name` (a whole small table, say), however often it is asked for. */
  once<Value>(name: string, load: () => Promise<Value>): Promise<Value> {
    return this.get<'once', Value>(name, async (keys) => {
      const value = await load();
      return keys.map(() => value);
    }).load('once');
  }
}

/** Orders batch results like the keys, with null for a key without a row (DataLoader's contract). */
export function byKeys<Key, Row>(keys: readonly Key[], rows: readonly Row[], keyOf: (row: Row) => Key): (Row | null)[] {
  const index = new Map(rows.map((row) => [keyOf(row), row]));
  return keys.map((key) => index.get(key) ?? null);
}

/** Groups batch results per key (one-to-many relations), an empty list for a key without rows. */
export function groupByKeys<Key, Row>(keys: readonly Key[], rows: readonly Row[], keyOf: (row: Row) => Key): Row[][] {
  const groups = new Map<Key, Row[]>(keys.map((key) => [key, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((key) => groups.get(key) ?? []);
}
