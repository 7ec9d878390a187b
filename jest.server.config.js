// Jest for everything that is not an LWC unit test: the service, scripts, contract vectors, hardening.
// One boring setup: ts-jest compiles TypeScript to CommonJS (transpile only; `npm run typecheck` does the type check),
// and the two ESM-only dependencies (jose 6, cookie 2 via fastify's light-my-request) are transformed too.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/demo/'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
    '^.+\\.m?js$': ['ts-jest', { tsconfig: { allowJs: true, module: 'commonjs', target: 'ES2022' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!(jose|cookie)/)'],
  testTimeout: 20000,
};
