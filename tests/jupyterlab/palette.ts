/**
 * Commands run from JupyterLab's command palette by their label, as a user
 * runs them. On a busy page a keypress can go astray (the modal palette closes
 * when focus moves: JupyterLab still restoring, a kernel starting), so each
 * is retried; the recorder tests and the analysis tests share them.
 */
import type { Page } from 'playwright-core';

/** Open the palette, type `label`, run the command it picks; retried up to 5 times. */
export async function palette(page: Page, label: string): Promise<void> {
  const input = page.locator('.lm-CommandPalette-input');
  for (let attempt = 1; ; attempt++) {
    try {
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+Shift+C');
      await input.waitFor({ state: 'visible', timeout: 5000 });
      await input.fill(label, { timeout: 3000 });
      await page.locator('.lm-CommandPalette-item.lm-mod-active', { hasText: label }).waitFor({ timeout: 3000 });
      await page.keyboard.press('Enter');
      return;
    } catch (error) {
      if (attempt === 5) throw error;
    }
  }
}

/**
 * Export the recorded session from the palette, up to 3 times until the export's notification says it started
 * (or `exported()` already finds the crate): the palette can close before Enter.
 */
export async function exportSession(page: Page, exported: () => string | undefined): Promise<void> {
  const started = page.locator('.Toastify__toast', { hasText: /Exporting the session|Exported/ });
  for (let attempt = 1; ; attempt++) {
    await palette(page, 'Export the recorded session as an RO-Crate');
    const seen = await started.first().waitFor({ timeout: 15_000 }).then(() => true, () => false);
    if (seen || exported()) break;
    if (attempt === 3) throw new Error('the export command did not start (no notification) after 3 tries from the palette');
  }
}
