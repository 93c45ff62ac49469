/**
 * The NGFF browser sidebar as a user drives it: open its tab, type a store's
 * location, press Open, wait for the levels. Shared by the JupyterLab and the
 * JupyterHub tests, which check the same sidebar in two deployments.
 */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { unexpectedFailedLoads, type BrowserSession } from './chromium.js';

const SIDEBAR = '#fairio-ngff-browser';

/** Open `location` (a server path or URL) in the sidebar; returns how many levels it lists and its message line. */
export async function openInSidebar(page: Page, location: string): Promise<{ levels: number; message: string | null }> {
  const tab = page.locator('.jp-SideBar [data-id="fairio-ngff-browser"]');
  await tab.waitFor({ timeout: 30_000 });
  await tab.click();
  await page.locator(SIDEBAR).waitFor({ state: 'visible' });
  await page.fill(`${SIDEBAR} .jp-FairioBrowser-location`, location);
  await page.click(`${SIDEBAR} .jp-FairioBrowser-openButton`);
  await page.locator(`${SIDEBAR} .jp-FairioBrowser-level`).first().waitFor({ timeout: 30_000 });
  return { levels: await page.locator(`${SIDEBAR} .jp-FairioBrowser-level`).count(), message: await page.locator(`${SIDEBAR} .jp-FairioBrowser-message`).textContent() };
}

/** The sidebar opens `location`: it lists levels and names the store, and the page has logged no error, unexpected failed load or request leaving 127.0.0.1. */
export async function expectSidebarOpens(browser: BrowserSession, location: string): Promise<void> {
  const sidebar = await openInSidebar(browser.page, location);
  expect(sidebar.levels).toBeGreaterThan(0);
  expect(sidebar.message).toBe(location);
  expect(browser.errors).toEqual([]);
  expect(unexpectedFailedLoads(browser)).toEqual([]);
  expect(browser.external).toEqual([]);
}
