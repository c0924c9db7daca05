/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Transpile only: `npm test` type-checks once with tsc before jest runs.
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  coveragePathIgnorePatterns: ['/node_modules/', '/imports/', '/test/'],
  testTimeout: 30000,
  globalSetup: '<rootDir>/test/support/global-setup.js',
  setupFiles: ['<rootDir>/test/support/fixed-today.js'],
  globalTeardown: '<rootDir>/test/support/global-teardown.js',
  // Jest's default is cores - 1: one worker on a 2-core machine. Two keep both cores busy.
  maxWorkers: 2,
};
