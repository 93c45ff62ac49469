/**
 * A Jupyter server (JupyterLab, or JupyterHub with its users' servers) and a
 * headless Chromium for one test file: `open()` starts the server, lets the test
 * put its data in place, then opens the browser; `close()` closes the browser,
 * then stops the server. The server is kept as soon as it runs, so `close()`
 * in afterAll stops it even when the rest of beforeAll failed or timed out.
 *
 * ```ts
 * const lab = labSession(startJupyterLab);
 * beforeAll(() => lab.open((server) => fs.cpSync(sample, path.join(server.root, 'cells.zarr'), { recursive: true })), 180_000);
 * afterAll(() => lab.close());
 * it('…', async () => { await lab.page.goto(lab.server.labUrl()); });
 * ```
 */
import type { Page } from 'playwright-core';
import { openBrowser, type BrowserSession } from '../jupyterlab/chromium.js';

export interface LabSession<Server> {
  /** The running server; throws before `open()` has started it. */
  readonly server: Server;
  /** The browser (its console errors, failed loads and outside requests); throws before `open()` has opened it. */
  readonly browser: BrowserSession;
  /** The browser's page. */
  readonly page: Page;
  /** Start the server, run `prepare` on it (test data into its folders), open the browser. */
  open(prepare?: (server: Server) => void | Promise<void>): Promise<void>;
  /** Close the browser, then stop the server; once, whatever of them was started (later calls wait for the first). */
  close(): Promise<void>;
}

export function labSession<Server extends { stop(): Promise<void> }>(start: () => Promise<Server>): LabSession<Server> {
  let server: Server | undefined;
  let browser: BrowserSession | undefined;
  let closing: Promise<void> | undefined;
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the lab session has no ${what} yet (open() first)`);
    return value;
  };
  return {
    get server() {
      return started(server, 'server');
    },
    get browser() {
      return started(browser, 'browser');
    },
    get page() {
      return started(browser, 'browser').page;
    },
    async open(prepare) {
      server = await start();
      await prepare?.(server);
      browser = await openBrowser();
    },
    close() {
      closing ??= (async () => {
        try {
          await browser?.close();
        } finally {
          await server?.stop();
        }
      })();
      return closing;
    },
  };
}
