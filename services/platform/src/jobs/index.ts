export * from './scheduled-job';
export * from './sweeper';
