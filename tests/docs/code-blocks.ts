/**
 * The shell blocks of a Markdown page, for tests/docs/commands.test.ts.
 *
 * The convention the docs follow:
 * - A fenced block whose language is bash, sh, shell or zsh is a command block: the test runs it.
 * - A command block that must not run (it needs the internet, starts a server that another test covers, runs the
 *   test suite itself, takes minutes) is preceded by `<!-- not run: the reason -->`; the reason is required.
 * - Output, placeholders and anything else to read but not type go in ```text (or another language) blocks.
 */

export interface CodeBlock {
  /** 1-based line of the opening fence. */
  line: number;
  language: string;
  /** The block's text, without the fences and the indentation of the fence. */
  text: string;
  /** Why the block is not run, from a `<!-- not run: … -->` just above it; undefined when it runs. */
  notRun?: string;
}

const SHELLS = new Set(['bash', 'sh', 'shell', 'zsh']);
const FENCE = /^(\s*)(`{3,}|~{3,})\s*([^\s`]*)/;
const NOT_RUN = /^\s*<!--\s*not run:(.*?)-->\s*$/;

export function isCommandBlock(block: CodeBlock): boolean {
  return SHELLS.has(block.language);
}

export function codeBlocks(markdown: string): CodeBlock[] {
  const lines = markdown.split('\n');
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, language] = open;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const trimmed = lines[j].trim();
      if (trimmed.startsWith(fence[0].repeat(fence.length)) && trimmed.replace(/[`~]/g, '') === '') break;
      body.push(lines[j].startsWith(indent) ? lines[j].slice(indent.length) : lines[j].trimStart());
    }
    blocks.push({ line: i + 1, language: language.toLowerCase(), text: body.join('\n'), notRun: markerAbove(lines, i) });
    i = j;
  }
  return blocks;
}

/** The reason of a `<!-- not run: … -->` on the nearest non-blank line above line I ('' when it gives none). */
function markerAbove(lines: string[], i: number): string | undefined {
  let k = i - 1;
  while (k >= 0 && lines[k].trim() === '') k--;
  const marker = k >= 0 ? NOT_RUN.exec(lines[k]) : null;
  return marker ? marker[1].trim() : undefined;
}
