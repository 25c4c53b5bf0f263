export * from './rate-table';
export * from './quote-token';
