// Jest for the end-to-end suites of the demo (test/demo, mirroring demo/): the demo stack over real loopback sockets, and the browser suite that
// drives the demo page in Debian's headless Chromium (skipped, and saying so, when /usr/bin/chromium is missing;
// failing instead when PRECHAT_GUARD_REQUIRE_BROWSER=1, as CI sets it). Same TypeScript setup as the server suites.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/demo'],
  testMatch: ['<rootDir>/test/demo/**/*.test.ts'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
    '^.+\\.m?js$': ['ts-jest', { tsconfig: { allowJs: true, module: 'commonjs', target: 'ES2022' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!(jose|cookie)/)'],
  // One browser and one demo stack per file; the suites share the machine's two cores, so run them one at a time.
  maxWorkers: 1,
  testTimeout: 30000,
};
