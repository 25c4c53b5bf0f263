export * from './access-token';
export * from './identity';
export * from './subgraph-identity';
