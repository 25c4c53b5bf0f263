import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Kind, parse, print, type DefinitionNode, type FragmentDefinitionNode } from 'graphql';
import { operationHash, type PersistedOperation, type PersistedQueryManifest } from '../edge/persisted-queries';
import { PERSISTED_QUERIES_DIR } from '../subgraphs';

/**
 * The persisted query manifest of every named operation in `.graphql` files (sorted by file name).
 * Each body is the operation printed by graphql-js with the fragments of its file, so formatting
 * and comments do not change ids; an id is the SHA-256 of its body.
 */
export function buildManifest(files: readonly string[]): PersistedQueryManifest {
  const operations: PersistedOperation[] = [];
  for (const file of [...files].sort()) {
    const definitions = parse(readFileSync(file, 'utf8')).definitions;
    const fragments = definitions.filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION);
    for (const definition of definitions) {
      if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
      if (!definition.name) throw new Error(`${file}: every operation needs a name`);
      const body = print({ kind: Kind.DOCUMENT, definitions: [definition, ...fragments] as DefinitionNode[] });
      operations.push({ id: operationHash(body), name: definition.name.value, type: definition.operation, body });
    }
  }
  const names = operations.map((operation) => operation.name);
  const doubled = names.find((name, index) => names.indexOf(name) !== index);
  if (doubled) throw new Error(`operation ${doubled} is defined twice`);
  return { format: 'apollo-persisted-query-manifest', version: 1, operations };
}

/** `node gateway/dist/tools/persisted-manifest.js <partner> [dir]`: writes schemas/persisted-queries/<partner>.json. */
function main(argv: readonly string[]): void {
  const [partner, dir = path.join(PERSISTED_QUERIES_DIR, partner ?? '')] = argv;
  if (!partner || !/^[a-z0-9][a-z0-9-]*$/.test(partner)) {
    process.stderr.write('usage: npm run manifest -- <partner> [dir of .graphql operation files]\n');
    process.exit(2);
  }
  const files = readdirSync(dir).filter((name) => name.endsWith('.graphql')).map((name) => path.join(dir, name));
  const manifest = buildManifest(files);
  const target = path.join(PERSISTED_QUERIES_DIR, `${partner}.json`);
  writeFileSync(target, `${JSON.stringify(manifest, null, 2)}\n`);
  process.stdout.write(`wrote ${target} (${manifest.operations.length} operations)\n`);
}

if (require.main === module) main(process.argv.slice(2));
