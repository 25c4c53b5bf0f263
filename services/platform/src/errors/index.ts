export * from './business-error';
export * from './common-errors';
export * from './format-error';
export * from './parse-input';
