/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Type checking is `tsc` in `npm test`; with isolatedModules (tsconfig.json) ts-jest only strips types, which keeps the suite fast.
  transform: { '^.+\\.ts$': 'ts-jest' },
  // A temporary folder per run, removed at the end (test/jest/temp-dir.js).
  globalSetup: '<rootDir>/test/jest/global-setup.js',
  globalTeardown: '<rootDir>/test/jest/global-teardown.js',
  moduleFileExtensions: ['ts', 'js', 'json'],
  modulePathIgnorePatterns: ['<rootDir>/build/', '<rootDir>/dist/', '<rootDir>/examples/.*/node_modules/'],
  // The examples import the package by name: in this repository's tests that is the library's source, with one copy of each peer.
  moduleNameMapper: {
    '^cdk8s-golden-path$': '<rootDir>/lib',
    '^cdk8s-golden-path/imports/(.*)$': '<rootDir>/imports/$1',
    '^(cdk8s|constructs|cdk8s-plus-28)$': '<rootDir>/node_modules/$1',
  },
};
