/** One jest run for every workspace: unit specs beside the code, integration tests under test/. */
const swc = ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }];

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/services', '<rootDir>/gateway'],
  testMatch: ['**/*.spec.ts', '**/test/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: {
    '^@shop/gateway$': '<rootDir>/gateway/src/index.ts',
    '^@shop/platform/testing$': '<rootDir>/services/platform/src/testing/index.ts',
    '^@shop/([a-z-]+)$': '<rootDir>/services/$1/src/index.ts',
  },
  globalSetup: '<rootDir>/services/platform/testing/global-setup.mjs',
  globalTeardown: '<rootDir>/services/platform/testing/global-teardown.mjs',
  testTimeout: 60000,
};
