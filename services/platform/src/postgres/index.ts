/** Embedded PostgreSQL for development and tests: a real server with no installation step. */
export { startEmbeddedPostgres } from './embedded-postgres';
export type { EmbeddedPostgres, EmbeddedPostgresOptions } from './embedded-postgres';
export { findFreePort } from './free-port';
