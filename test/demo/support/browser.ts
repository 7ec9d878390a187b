// Debian's Chromium for the browser suite: where it is, whether the suite must run, and how to launch it headless.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Overridable so the skip/fail behaviour itself can be checked; CI and developers use the default. */
export const CHROMIUM_PATH = process.env.PRECHAT_GUARD_CHROMIUM_PATH ?? '/usr/bin/chromium';
export const BROWSER_REQUIRED = process.env.PRECHAT_GUARD_REQUIRE_BROWSER === '1';

export const HOW_TO_ENABLE =
  `Install Debian's Chromium (sudo apt-get install -y chromium) so that ${CHROMIUM_PATH} exists, then run ` +
  '`npm run test:e2e` again. Set PRECHAT_GUARD_REQUIRE_BROWSER=1 (CI does) to make a missing browser a failure.';

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM_PATH);
}

/**
 * Headless, with a fresh profile: Playwright's launch() creates a new temporary --user-data-dir and deletes it on close
 * (it refuses the flag in `args`). Each test then opens its own context, so cookies never leak between tests.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
