import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's chromium, driven by playwright-core (no browser is downloaded). */
export const CHROMIUM = '/usr/bin/chromium';

/** CI installs chromium (.ci/run) and must run the browser checks; elsewhere they run when it is there. */
export const noBrowser = !existsSync(CHROMIUM) && process.env.CI !== 'true';

/** Where screenshots go (CI keeps them with its test output). */
export const TEST_OUTPUT = resolve(process.env.TEST_OUTPUT_DIR ?? 'test-results');

/** Headless Chromium with nothing fetched in the background. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** The page's console errors and uncaught exceptions from now on, collected as they happen. */
export function pageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}
