/**
 * Every command shown in README.md and docs/*.md runs as shown.
 *
 * Each page's command blocks (```bash, see code-blocks.ts for the convention) run in order in one bash session
 * (`set -euo pipefail`, so state such as `cd` and `export` carries from block to block, as in a reader's terminal),
 * in a fresh checkout: a temporary folder holding links to this checkout's files (built, set up), without its `out/`,
 * with `node_modules/.bin` on the PATH so that `fairio` is the built command line, as after `npm run setup`.
 * README's commands start from `npm start`, which makes out/sample/ there, as it does for a reader.
 *
 * A command block followed by a ```text block of `fairio: error: …` lines shows a failure: it must exit non-zero
 * and print those lines, "…" standing for any text such as an absolute path (docs/troubleshooting.md is written
 * that way, so its messages are fairio's real ones).
 * Blocks marked `<!-- not run: reason -->` are not run; every such block must say why.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { hasImageJ } from '../helpers/imagej.js';
import { missing, projectRoot } from '../helpers/reference.js';
import { type CodeBlock, codeBlocks, isCommandBlock } from './code-blocks.js';

const run = promisify(execFile);
const docs = path.join(projectRoot, 'docs');
const pages = ['README.md', ...fs.readdirSync(docs).filter((name) => name.endsWith('.md')).sort().map((name) => `docs/${name}`)];
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'fairio-docs-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

interface Page {
  name: string;
  commands: CodeBlock[];
  /** For a command block that shows a failure: the error lines it must print. */
  errors: Map<CodeBlock, string[]>;
}

function readPage(name: string): Page {
  const blocks = codeBlocks(fs.readFileSync(path.join(projectRoot, name), 'utf8'));
  const errors = new Map<CodeBlock, string[]>();
  blocks.forEach((block, i) => {
    const next = blocks[i + 1];
    if (!isCommandBlock(block) || next?.language !== 'text') return;
    const lines = next.text.split('\n').filter((line) => line.startsWith('fairio: error:'));
    if (lines.length > 0) errors.set(block, lines);
  });
  return { name, commands: blocks.filter(isCommandBlock), errors };
}

/** A checkout to run a page in: links to this checkout's entries, except out/ (what the page makes) and .git. */
function checkout(name: string): string {
  const folder = path.join(work, name.replace(/[/.]/g, '-'));
  fs.mkdirSync(folder);
  for (const entry of fs.readdirSync(projectRoot)) {
    if (entry === 'out' || entry === '.git') continue;
    fs.symlinkSync(path.join(projectRoot, entry), path.join(folder, entry));
  }
  return folder;
}

/** One bash script for the page's blocks; `mark` records the block running, for the failure message. */
function script(page: Page, runs: CodeBlock[], logs: string): string {
  const parts = ['set -euo pipefail', `mark() { printf '%s\\n' "$1" > ${JSON.stringify(path.join(logs, 'block'))}; }`];
  for (const block of runs) {
    parts.push(`mark ${block.line}`);
    if (page.errors.has(block)) {
      const err = JSON.stringify(path.join(logs, `${block.line}.stderr`));
      parts.push(`if ( ${block.text}\n ) 2> ${err}; then echo "expected this command to fail" >&2; exit 97; fi`);
    } else {
      parts.push(block.text);
    }
  }
  return parts.join('\n') + '\n';
}

/** Whether TEXT has LINE, where "…" in LINE stands for any text on that line (an absolute path, a time). */
function shows(text: string, line: string): boolean {
  const pattern = line.split('…').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[^\n]*');
  return new RegExp(pattern).test(text);
}

describe('commands in the docs', () => {
  it('mark every block that does not run with a reason', () => {
    for (const name of pages) {
      for (const block of readPage(name).commands) {
        if (block.notRun !== undefined) expect(block.notRun, `${name}:${block.line}: "not run" needs a reason`).not.toBe('');
      }
    }
  });

  for (const name of pages) {
    const page = readPage(name);
    const runs = page.commands.filter((block) => block.notRun === undefined);
    if (runs.length === 0) continue;
    it(`${name} (${runs.length} blocks)`, async (context) => {
      // Pages with ImageJ macros need ImageJ (scripts/setup.sh installs it as root).
      if (runs.some((block) => /fairio macro\b/.test(block.text)) && missing('ImageJ, java and xvfb-run', hasImageJ)) {
        context.skip();
        return;
      }
      const folder = checkout(name);
      const logs = fs.mkdtempSync(path.join(work, 'logs-'));
      const file = path.join(logs, 'commands.sh');
      fs.writeFileSync(file, script(page, runs, logs));
      const env = { ...process.env, PATH: `${path.join(folder, 'node_modules', '.bin')}${path.delimiter}${process.env.PATH ?? ''}` };
      try {
        await run('bash', [file], { cwd: folder, env, encoding: 'utf8', timeout: 540_000, maxBuffer: 64 << 20 });
      } catch (error) {
        const e = error as { stdout?: string; stderr?: string; message: string };
        const line = fs.existsSync(path.join(logs, 'block')) ? fs.readFileSync(path.join(logs, 'block'), 'utf8').trim() : '?';
        const tail = (text = '') => text.split('\n').slice(-25).join('\n');
        throw new Error(`${name}:${line}: the block failed\n--- stderr\n${tail(e.stderr ?? e.message)}\n--- stdout\n${tail(e.stdout)}`);
      }
      for (const [block, lines] of page.errors) {
        const stderr = fs.readFileSync(path.join(logs, `${block.line}.stderr`), 'utf8');
        for (const line of lines) expect(shows(stderr, line), `${name}:${block.line}: the error shown\n${line}\nis not in\n${stderr}`).toBe(true);
      }
    }, 600_000);
  }
});
