export * from './tracing';
export * from './tracing-env';
