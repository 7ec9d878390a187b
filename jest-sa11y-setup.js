// Registers sa11y's `toBeAccessible()` matcher (axe-core with Salesforce's base rule set) for the LWC unit tests, so a
// test can assert `await expect(element).toBeAccessible()` on what a component renders. Referenced from
// jest.config.js `setupFilesAfterEnv`. The matcher refuses to run while Jest's fake timers are installed: tests that
// fake the clock switch back with `jest.useRealTimers()` first.
const { registerSa11yMatcher } = require('@sa11y/jest');

registerSa11yMatcher();
