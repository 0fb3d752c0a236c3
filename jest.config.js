// ESM + TypeScript through ts-jest; type checking is done once by `tsc --noEmit` (npm run typecheck),
// so ts-jest only transpiles (isolatedModules) and the suite stays fast.
/** @type {import('jest').Config} */
const config = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, diagnostics: false }],
  },
  testMatch: ['<rootDir>/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/data/'],
  testTimeout: 60_000,
  maxWorkers: 2,
};

export default config;
