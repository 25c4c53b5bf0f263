import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

/** One operation of an Apollo persisted query manifest; `id` is the SHA-256 (hex) of `body`. */
export interface PersistedOperation {
  readonly id: string;
  readonly name: string;
  readonly type: 'query' | 'mutation' | 'subscription';
  readonly body: string;
}

/** Apollo's persisted query manifest (the format `generate-persisted-query-manifest` writes). */
export interface PersistedQueryManifest {
  readonly format: 'apollo-persisted-query-manifest';
  readonly version: 1;
  readonly operations: readonly PersistedOperation[];
}

const manifestSchema = z.object({
  format: z.literal('apollo-persisted-query-manifest'),
  version: z.literal(1),
  operations: z.array(
    z.object({ id: z.string().regex(/^[0-9a-f]{64}$/), name: z.string(), type: z.enum(['query', 'mutation', 'subscription']), body: z.string().min(1) }),
  ),
});

/** The persisted query id of a document: SHA-256 of its exact text, in hex (what Apollo clients send). */
export function operationHash(body: string): string {
  return createHash('sha256').update(body, 'utf8').digest('hex');
}

/** Parses and checks a manifest's JSON; throws naming the file when it is not one. */
export function parseManifest(json: string, file: string): PersistedQueryManifest {
  const parsed = manifestSchema.safeParse(JSON.parse(json));
  if (!parsed.success) throw new Error(`${file} is not an Apollo persisted query manifest: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data as PersistedQueryManifest;
}

/**
 * The partners' safelists: `<dir>/<partner>.json`, read on first use and kept (a new manifest
 * ships with a deployment). A partner without a manifest may run nothing.
 */
export class Safelists {
  private readonly loaded = new Map<string, Promise<ReadonlyMap<string, PersistedOperation>>>();

  constructor(private readonly dir: string) {}

  /** The partner's operation with this id, if its safelist has one. */
  async find(partner: string, id: string): Promise<PersistedOperation | undefined> {
    let safelist = this.loaded.get(partner);
    if (!safelist) {
      safelist = this.load(partner);
      this.loaded.set(partner, safelist);
    }
    return (await safelist).get(id);
  }

  private async load(partner: string): Promise<ReadonlyMap<string, PersistedOperation>> {
    // Partner names are slugs (accounts enforces it); anything else gets no safelist rather than a path.
    if (!/^[a-z0-9][a-z0-9-]*$/.test(partner)) return new Map();
    const file = path.join(this.dir, `${partner}.json`);
    let json: string;
    try {
      json = await readFile(file, 'utf8');
    } catch {
      return new Map();
    }
    return new Map(parseManifest(json, file).operations.map((operation) => [operation.id, operation]));
  }
}
