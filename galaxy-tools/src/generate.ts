/**
 * Writes the whole suite into a folder: one XML per tool, `macros.xml`,
 * `tool_conf.xml` and `.shed.yml`. The committed copy lives in
 * `galaxy-tools/tools/`; a test regenerates into a temporary folder and
 * fails when the committed files differ.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { galaxyTools } from './catalogue.js';
import { macrosXml } from './macros.js';
import { shedYml, toolConfXml, toolFile } from './suite.js';
import type { GalaxyTool } from './tool-spec.js';
import { toolXml } from './tool-xml.js';

/** `galaxy-tools/tools`, where the generated suite is committed. */
export const TOOLS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'tools');

/** Every generated file, by its path relative to the tools folder. */
export function suiteFiles(tools: GalaxyTool[] = galaxyTools): Map<string, string> {
  const files = new Map<string, string>();
  for (const t of tools) files.set(toolFile(t), toolXml(t));
  files.set('macros.xml', macrosXml());
  files.set('tool_conf.xml', toolConfXml(tools));
  files.set('.shed.yml', shedYml(tools));
  return files;
}

/** Write the suite into `dir` (test-data is left alone); returns the files written. */
export function writeSuite(dir: string = TOOLS_DIR, tools: GalaxyTool[] = galaxyTools): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const files = suiteFiles(tools);
  for (const [name, text] of files) fs.writeFileSync(path.join(dir, name), text);
  // Tools that no longer exist leave no stale XML behind.
  for (const f of fs.readdirSync(dir)) if (/^fairio_.*\.xml$/.test(f) && !files.has(f)) fs.rmSync(path.join(dir, f));
  return [...files.keys()];
}
