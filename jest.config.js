// LWC unit tests (sfdx-lwc-jest) for every package directory in sfdx-project.json. sfdx-lwc-jest's resolver looks up
// `c/<name>` in each `<packageDirectory>/**/lwc` folder, so legacy-chat's form finds force-app's `c/prechatGuardIdentity`;
// its config sets no testMatch, so Jest's default finds the `__tests__` folders and legacy-chat/test (the snippet
// settings static resource). The root test/ folder belongs to jest.server.config.js and jest.e2e.config.js.
// Every platform module that sfdx-lwc-jest does not stub is mapped to one mock folder: force-app/test/jest-mocks.
// (`@salesforce/user/isGuest` needs none: @lwc/jest-transformer makes it `false` unless a test jest.mock()s it.)
// jest-sa11y-setup.js adds sa11y's `toBeAccessible()` matcher after the preset's own setup files.
const { jestConfig } = require('@salesforce/sfdx-lwc-jest/config');

/** @type {import('jest').Config} */
module.exports = {
  ...jestConfig,
  modulePathIgnorePatterns: ['<rootDir>/.localdevserver', '<rootDir>/dist', '<rootDir>/.tools'],
  setupFilesAfterEnv: [...(jestConfig.setupFilesAfterEnv || []), '<rootDir>/jest-sa11y-setup.js'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/', '<rootDir>/dist/', '<rootDir>/.tools/'],
  moduleNameMapper: {
    ...(jestConfig.moduleNameMapper || {}),
    '^lightningsnapin/basePrechat$': '<rootDir>/force-app/test/jest-mocks/lightningsnapin/basePrechat.js',
  },
};
