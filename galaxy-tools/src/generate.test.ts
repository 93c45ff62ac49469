import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodes } from '@fairio/model-runner';
import { galaxyTools } from './catalogue.js';
import { TOOLS_DIR, writeSuite } from './generate.js';
import { toolFile } from './suite.js';
import { toolXml } from './tool-xml.js';

describe('the committed suite', () => {
  it('is what the generator writes today (run `npm run generate -w galaxy-tools` after changing a node)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fairio-galaxy-suite-'));
    try {
      const written = writeSuite(dir);
      const stale = written.filter((name) => !fs.existsSync(path.join(TOOLS_DIR, name)) || fs.readFileSync(path.join(TOOLS_DIR, name), 'utf8') !== fs.readFileSync(path.join(dir, name), 'utf8'));
      const extra = fs.readdirSync(TOOLS_DIR).filter((f) => /^fairio_.*\.xml$/.test(f) && !written.includes(f));
      expect({ stale, extra }).toEqual({ stale: [], extra: [] });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('has a tool for every registered node and for convert, info, validate and crate validate', () => {
    const ids = galaxyTools.map((t) => t.description.id);
    for (const node of nodes) expect(ids).toContain(node.description.id);
    expect(ids).toEqual(expect.arrayContaining(['convert', 'info', 'validate', 'crate_validate']));
    expect(new Set(galaxyTools.map(toolFile)).size).toBe(galaxyTools.length);
  });

  it('gives every tool tests whose files exist in test-data', () => {
    for (const tool of galaxyTools) {
      expect(tool.tests.length, tool.description.id).toBeGreaterThan(0);
      for (const test of tool.tests) {
        for (const value of Object.values(test.params)) {
          const files = typeof value === 'string' ? [] : 'file' in value ? [value.file] : value.files;
          for (const f of files) expect(fs.existsSync(path.join(TOOLS_DIR, 'test-data', f)), f).toBe(true);
        }
      }
    }
  });
});

describe('toolXml', () => {
  const threshold = galaxyTools.find((t) => t.description.id === 'threshold')!;
  const xml = toolXml(threshold);

  it('follows the IUC conventions: fairio_ id, version and profile tokens, exit-code errors', () => {
    expect(xml).toContain('<tool id="fairio_threshold" name="Threshold" version="@TOOL_VERSION@+galaxy@VERSION_SUFFIX@" profile="@PROFILE@">');
    expect(xml).toContain('<command detect_errors="exit_code"><![CDATA[');
    expect(xml).toContain('<inputs name="inputs" data_style="staging_path_and_source_path"/>');
    expect(xml).toContain('<param argument="--method"');
    expect(xml).toContain('<data name="crate" format="zip"');
  });

  it('templates no user value into the command, only Galaxy-chosen paths', () => {
    for (const tool of galaxyTools) {
      const command = /<command[^>]*><!\[CDATA\[([\s\S]*?)\]\]><\/command>/.exec(toolXml(tool))![1];
      const placeholders = [...command.matchAll(/\$\{?([A-Za-z_][\w.]*)/g)].map((m) => m[1]);
      const outputs = [...tool.description.outputs.map((o) => o.name.replace(/-/g, '_')), 'crate'];
      for (const p of placeholders) {
        const [head, attribute] = p.split('.');
        const allowed = head === 'inputs' || head === 'GALAXY_SLOTS' || (outputs.includes(head) && (attribute === undefined || attribute === 'extra_files_path'));
        expect(allowed, `${tool.description.id}: $${p}`).toBe(true);
      }
      // Every placeholder sits inside single quotes (or is the GALAXY_SLOTS shell variable).
      for (const line of command.split('\n').filter((l) => l.includes('$') && !l.includes('GALAXY_SLOTS'))) expect(line.trim()).toMatch(/^--[\w-]+ '[^']*'$/);
    }
  });

  it('switches the sanitizer off only for text that never reaches a shell', () => {
    for (const tool of galaxyTools) {
      const text = toolXml(tool);
      const texts = [...text.matchAll(/<param [^>]*type="text"[^>]*>([\s\S]*?)<\/param>/g)];
      for (const t of texts) expect(t[1]).toContain('<sanitizer sanitize="false"/>');
    }
  });
});
