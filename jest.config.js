// LWC unit tests (sfdx-lwc-jest). Every platform module that sfdx-lwc-jest does not stub is mapped to one mock
// folder: force-app/test/jest-mocks.
const { jestConfig } = require('@salesforce/sfdx-lwc-jest/config');

/** @type {import('jest').Config} */
module.exports = {
  ...jestConfig,
  modulePathIgnorePatterns: ['<rootDir>/.localdevserver', '<rootDir>/dist', '<rootDir>/.tools'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/', '<rootDir>/dist/', '<rootDir>/.tools/'],
  moduleNameMapper: {
    ...(jestConfig.moduleNameMapper || {}),
    '^lightningsnapin/basePrechat$': '<rootDir>/force-app/test/jest-mocks/lightningsnapin/basePrechat.js',
  },
};
