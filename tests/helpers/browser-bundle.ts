/**
 * Bundle code for the browser the way the JupyterLab extension's bundler sees
 * fairio's packages (their `exports`, the `browser` field): esbuild fails on
 * any Node built-in it is asked to resolve for `platform: 'browser'`, so a
 * bundle that builds is one that imports nothing from Node. Returns the code.
 */
import { build } from 'esbuild';

export async function bundleForBrowser(contents: string, resolveDir: string, format: 'esm' | 'iife' = 'esm'): Promise<string> {
  const result = await build({ stdin: { contents, resolveDir }, bundle: true, write: false, platform: 'browser', format, logLevel: 'silent' });
  return result.outputFiles[0].text;
}
