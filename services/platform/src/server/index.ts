export * from './http';
export * from './metrics';
export * from './request-context';
export * from './start-subgraph';
export * from './subgraph-config';
