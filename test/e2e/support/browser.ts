/**
 * Debian Chromium through playwright-core, one browser per user (a fresh --user-data-dir, so users
 * never share cookies), with the SWA emulator's login page working offline: its jQuery comes from
 * a CDN, so the test serves the copy npm installed (the page's own script then runs unchanged) and
 * answers its Bootstrap and image requests with empty bodies.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 390, height: 844 };

let jquery: string | undefined;
const CORS = { 'access-control-allow-origin': '*' };

/** A browser with its own profile (playwright passes the fresh --user-data-dir itself). */
export async function launchUserBrowser(viewport = DESKTOP): Promise<BrowserContext> {
  // No certificate exceptions: like a person's browser, this fresh profile does not trust the local
  // CA, and live updates must still work (negotiate hands browsers the emulator's loopback ws:// port).
  const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'tt-chromium-')), { executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, viewport });
  jquery ??= readFileSync(require.resolve('jquery/dist/jquery.min.js'), 'utf8');
  // Later routes win: the general one first, then jQuery.
  await context.route(/^https:\/\/(ajax\.aspnetcdn\.com|appservice\.azureedge\.net)\//, (route) => route.fulfill({ status: 200, headers: CORS, body: '' }));
  await context.route(/^https:\/\/ajax\.aspnetcdn\.com\/ajax\/jquery\//, (route) => route.fulfill({ status: 200, headers: CORS, contentType: 'application/javascript', body: jquery! }));
  return context;
}

export interface TestUser {
  readonly userId: string;
  readonly userDetails: string;
  readonly roles?: readonly string[];
}

/** Signs in through the emulator's /.auth/login/aad form, as a person would. */
export async function signIn(page: Page, baseUrl: string, user: TestUser): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.getByRole('link', { name: 'Sign in with Microsoft' }).click();
  await page.waitForURL(/\/\.auth\/login\/aad/);
  await page.locator('#userId').fill(user.userId);
  await page.locator('#userDetails').fill(user.userDetails);
  await page.locator('#userRoles').fill((user.roles ?? []).join('\n'));
  // The form saves a field on keyup; a key press after fill() makes it save what was typed.
  for (const id of ['#userId', '#userDetails', '#userRoles']) await page.locator(id).press('End');
  await page.locator('#submit').click();
  await page.waitForURL((url) => !url.pathname.startsWith('/.auth/'));
  await page.getByTestId('user').waitFor();
}
