export * from './database';
export * from './loader-registry';
export * from './migrate';
