import path from 'node:path';

/** A subgraph the gateway routes to: its SDL (for composition) and where it listens by default. */
export interface SubgraphDefinition {
  readonly name: string;
  readonly sdlPath: string;
  readonly defaultUrl: string;
}

const repoRoot = path.join(__dirname, '../..');

/** Every subgraph of the supergraph. A new subgraph joins here, in `schemas/supergraph.graphql` and in the launcher. */
export const SUBGRAPHS: readonly SubgraphDefinition[] = [
  { name: 'catalog', sdlPath: path.join(repoRoot, 'services/catalog/src/schema.graphql'), defaultUrl: 'http://127.0.0.1:4001/graphql' },
  { name: 'accounts', sdlPath: path.join(repoRoot, 'services/accounts/src/schema.graphql'), defaultUrl: 'http://127.0.0.1:4002/graphql' },
  { name: 'inventory', sdlPath: path.join(repoRoot, 'services/inventory/src/schema.graphql'), defaultUrl: 'http://127.0.0.1:4003/graphql' },
  { name: 'orders', sdlPath: path.join(repoRoot, 'services/orders/src/schema.graphql'), defaultUrl: 'http://127.0.0.1:4004/graphql' },
  { name: 'payments', sdlPath: path.join(repoRoot, 'services/payments/src/schema.graphql'), defaultUrl: 'http://127.0.0.1:4005/graphql' },
  { name: 'shipping', sdlPath: path.join(repoRoot, 'services/shipping/src/schema.graphql'), defaultUrl: 'http://127.0.0.1:4006/graphql' },
  { name: 'promotions', sdlPath: path.join(repoRoot, 'services/promotions/src/schema.graphql'), defaultUrl: 'http://127.0.0.1:4007/graphql' },
];

/** The checked-in composed supergraph. */
export const SUPERGRAPH_PATH = path.join(repoRoot, 'schemas/supergraph.graphql');

/** The partners' safelists: one Apollo persisted query manifest per partner, `<partner>.json`. */
export const PERSISTED_QUERIES_DIR = path.join(repoRoot, 'schemas/persisted-queries');
