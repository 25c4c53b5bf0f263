/** @shop/platform: what every service shares, written once. */
export * from './cache';
export * from './config';
export * from './data';
export * from './errors';
export * from './events';
export * from './identity';
export * from './jobs';
export * from './logging';
export * from './messaging';
export * from './money';
export * from './postgres';
export * from './rate-limit';
export * from './resilience';
export * from './server';
export * from './shield';
export * from './shipping';
export * from './tracing';
