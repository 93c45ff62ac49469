/** The docs' block convention, as tests/docs/commands.test.ts reads it. */
import { describe, expect, it } from 'vitest';
import { codeBlocks, isCommandBlock } from './code-blocks.js';

const page = `# A page

\`\`\`bash
fairio sample cells.ome.tiff
\`\`\`

<!-- not run: needs the internet -->

\`\`\`sh
git clone https://example.org/x
\`\`\`

- a list item:

  \`\`\`bash
  fairio info cells.ome.zarr
  \`\`\`

\`\`\`text
fairio: error: cell.ome.zarr: no such file or folder
\`\`\`

<!-- not run: -->
\`\`\`bash
echo no reason
\`\`\`
`;

describe('code blocks of a page', () => {
  const blocks = codeBlocks(page);

  it('finds every fenced block with its line and language, indented ones dedented', () => {
    expect(blocks.map((b) => [b.line, b.language, b.text])).toEqual([
      [3, 'bash', 'fairio sample cells.ome.tiff'],
      [9, 'sh', 'git clone https://example.org/x'],
      [15, 'bash', 'fairio info cells.ome.zarr'],
      [19, 'text', 'fairio: error: cell.ome.zarr: no such file or folder'],
      [24, 'bash', 'echo no reason'],
    ]);
  });

  it('runs shell blocks, not text ones', () => {
    expect(blocks.map(isCommandBlock)).toEqual([true, true, true, false, true]);
  });

  it('reads the not-run marker above a block, blank lines between allowed, and an empty reason as ""', () => {
    expect(blocks.map((b) => b.notRun)).toEqual([undefined, 'needs the internet', undefined, undefined, '']);
  });
});
