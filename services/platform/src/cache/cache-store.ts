/**
 * Where cached values live. Each namespace has a generation; a value is only visible in the
 * generation it was stored under, so bumping the generation invalidates the whole namespace at once.
 */
export interface CacheStore {
  /** The namespace's current generation and the values stored under it for `keys`. */
  read(namespace: string, keys: readonly string[]): Promise<{ generation: string; values: (unknown | undefined)[] }>;
  /** Stores values under `generation`; a value stored under an older generation is never seen. */
  write(namespace: string, generation: string, entries: readonly (readonly [string, unknown])[], ttlSeconds: number): Promise<void>;
  /** Starts a new generation: everything stored before is invisible from now on. */
  bump(namespace: string): Promise<void>;
  /** Whether the store answers (readiness). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
