import { readFileSync, writeFileSync } from 'node:fs';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { SUBGRAPHS, SUPERGRAPH_PATH } from './subgraphs';

/**
 * Composes the subgraphs' SDL files into the supergraph SDL with @apollo/composition. Runs at
 * build time only (`npm run compose`); the gateway never composes at run time.
 */
export function composeSupergraph(): string {
  const result = composeServices(
    SUBGRAPHS.map((subgraph) => ({ name: subgraph.name, url: subgraph.defaultUrl, typeDefs: parse(readFileSync(subgraph.sdlPath, 'utf8')) })),
  );
  if (result.errors) throw new Error(`composition failed:\n${result.errors.map((error) => error.message).join('\n')}`);
  return `${result.supergraphSdl.trimEnd()}\n`;
}

if (require.main === module) {
  writeFileSync(SUPERGRAPH_PATH, composeSupergraph());
  process.stdout.write(`wrote ${SUPERGRAPH_PATH}\n`);
}
