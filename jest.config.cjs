/** Three projects: unit (pure, fast), integration (starts the real local host and emulators), e2e (the site in Chromium). */
const transform = { '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript', tsx: true }, target: 'es2022' }, module: { type: 'commonjs' } }] };
const moduleNameMapper = { '^(\\.{1,2}/.*)\\.js$': '$1' };
module.exports = {
  // testTimeout is a global option: per-project values are ignored by jest.
  testTimeout: 120000,
  projects: [
    { displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'], transform, moduleNameMapper, testEnvironment: 'node' },
    { displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.test.ts'], transform, moduleNameMapper, testEnvironment: 'node' },
    // Drives the built site in Debian Chromium against the whole local platform (needs `npm run build` first).
    { displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.test.ts'], transform, moduleNameMapper, testEnvironment: 'node' },
  ],
};
