export * from './rules';
export * from './shield-subgraph';
