/**
 * Headless Debian Chromium driven by playwright-core (never `playwright
 * install`: the browser is the system's /usr/bin/chromium, installed by
 * scripts/setup.sh), with a fresh profile per launch. Console errors,
 * uncaught page errors and requests leaving 127.0.0.1 are collected, so tests
 * can assert that the extension loads cleanly and fetches nothing from outside.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const chromiumPath = '/usr/bin/chromium';
export const hasChromium = fs.existsSync(chromiumPath);

export interface BrowserSession {
  page: Page;
  context: BrowserContext;
  /** Console messages of type error and uncaught exceptions, as text. */
  errors: string[];
  /**
   * "Failed to load resource" lines (Chromium logs every HTTP error response and refused
   * connection on the console, handled or not), as `STATUS URL` or `ERR_… URL`. A reader probes `zarr.json` before
   * `.zattrs`, so 404s of store keys are expected; tests judge these apart from `errors`.
   */
  failedLoads: string[];
  /** URLs requested from hosts other than 127.0.0.1. */
  external: string[];
  close(): Promise<void>;
}

/** Failed loads other than 404s of store keys below `/fairio/stores/` (those are probes and missing chunks). */
export function unexpectedFailedLoads(session: BrowserSession): string[] {
  return session.failedLoads.filter((line) => !/^404 .*\/fairio\/stores\//.test(line));
}

export async function openBrowser(viewport = { width: 1280, height: 800 }): Promise<BrowserSession> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'fairio-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    viewport,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  const failedLoads: string[] = [];
  const external: string[] = [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const where = message.location().url;
    const failed = /^Failed to load resource: (?:the server responded with a status of (\d+)|net::(ERR_\w+))/.exec(message.text());
    if (failed) failedLoads.push(`${failed[1] ?? failed[2]} ${where}`);
    else errors.push(`console: ${message.text()}${where ? ` (${where})` : ''}`);
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  context.on('request', (request) => {
    const url = new URL(request.url());
    if (/^https?:$/.test(url.protocol) && url.hostname !== '127.0.0.1') external.push(request.url());
  });
  return {
    page,
    context,
    errors,
    failedLoads,
    external,
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}
