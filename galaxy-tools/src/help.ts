/**
 * A node's plain-text help as Galaxy help (reStructuredText): paragraphs,
 * "Example:" command lines as literal blocks, and sections on the inputs,
 * the outputs and the RO-Crate every job emits. Text from descriptions is
 * escaped so that no `*`, backtick or trailing `_` turns into markup.
 */
import type { NodeDescription } from '@fairio/model-runner/nodes';

/** Escape inline markup characters of reStructuredText. */
export function escapeRst(text: string): string {
  return text.replace(/([\\*`|])/g, '\\$1').replace(/_(?=[^\w]|$)/g, '\\_');
}

function literal(lines: string[]): string[] {
  return ['::', '', ...lines.map((l) => `    ${l.trim()}`), ''];
}

/** The description's help text as RST body paragraphs and literal blocks. */
export function helpBody(help: string): string[] {
  const out: string[] = [];
  const lines = help.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '') continue;
    const example = /^\s*Example:\s*(.*)$/.exec(line);
    if (example) {
      const commands = example[1] ? [example[1]] : [];
      while (i + 1 < lines.length && /^\s+\S/.test(lines[i + 1])) commands.push(lines[++i]);
      out.push('**The same step on the command line**', '', ...literal(commands));
      continue;
    }
    out.push(escapeRst(line.trim()), '');
  }
  return out;
}

export interface HelpContext {
  /** Output names, labels and Galaxy datatypes. */
  outputs: { label: string; help: string; format: string }[];
  inputs: { label: string; help: string; formats: string[] }[];
}

/** The whole `<help>` text of a tool. */
export function toolHelp(description: NodeDescription, context: HelpContext): string {
  const lines = [
    '**What it does**',
    '',
    `${escapeRst(description.summary)}.`,
    '',
    ...helpBody(description.help),
    '**Input**',
    '',
    ...context.inputs.map((i) => `- **${escapeRst(i.label)}** (${i.formats.join(', ')}): ${escapeRst(i.help)}`),
    '',
    '**Output**',
    '',
    ...context.outputs.map((o) => `- **${escapeRst(o.label)}** (${o.format}): ${escapeRst(o.help)}`),
    '',
    '**Provenance**',
    '',
    'Every run also emits an RO-Crate (zip): a Process Run Crate that records what ran (fairio and its engines, with versions), on which inputs and with which parameters, what it produced (with sha256 checksums), when, and whether it succeeded. Image outputs carry their FAIR description (licence, organism, imaging method) in an RO-Crate at their root. Check a crate with the tool "Validate an RO-Crate".',
    '',
    `fairio tool ${description.id}, version ${description.version}. Documentation: https://github.com/fairio/fairio`,
  ];
  return `\n${lines.join('\n').replace(/\n{3,}/g, '\n\n').trim()}\n`;
}
