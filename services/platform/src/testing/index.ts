/** Helpers for tests: GraphQL calls, signed test identities, throwaway databases. */
export * from './graphql-client';
export * from './test-auth';
export * from './test-database';
export { startKafkaMock, type KafkaMock } from '../events/testing/kafka-mock';
export * from './redis';
export * from './business-error-of';
export * from './migration-drift';
