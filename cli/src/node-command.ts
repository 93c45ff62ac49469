/**
 * A CLI command derived from a node description: positional arguments and
 * `--options` for its inputs and outputs, one option per parameter (with its
 * help, default and range), progress, `--json`. The action runs the node
 * through `runNode`, so the CLI adds no logic of its own.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { kebab, optionName, runNode, type AnalysisNode, type DataSpec, type ParameterSpec, type RunRecord } from '@fairio/model-runner/nodes';
import { createProgress } from './progress.js';
import { emit } from './output.js';

/** Commander's key for an option: `--class-names` → `classNames`. */
const camel = (name: string) => kebab(name).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** A repeatable option: each occurrence adds one value, kept verbatim (`--input a.tif --input b.tif`). */
const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

function parameterOption(spec: ParameterSpec): Option {
  const flag = `--${optionName(spec)}`;
  if (spec.type === 'boolean') {
    return new Option(spec.default ? `--no-${optionName(spec)}` : flag, spec.help);
  }
  if (spec.type === 'text' && spec.lines) {
    // A list parameter: one value per occurrence, joined into the description's one-per-line text.
    return new Option(`${flag} <value>`, `${spec.help}; repeatable, one value each`).argParser((value: string, previous: string[] | undefined) => {
      if (/[\r\n]/.test(value)) throw new InvalidArgumentError('a value cannot hold a line break');
      return collect(value, previous);
    });
  }
  const range = 'min' in spec && (spec.min !== undefined || spec.max !== undefined) ? ` (${spec.min ?? '−∞'}…${spec.max ?? '∞'})` : '';
  const option = new Option(`${flag} <${spec.type === 'choice' ? 'choice' : spec.type}>`, `${spec.help}${range}`);
  if (spec.type === 'choice') option.choices(spec.options.map((o) => o.value));
  if (spec.default !== undefined) option.default(spec.default);
  return option;
}

function dataOption(spec: DataSpec): Option {
  const flags = `${spec.short ? `-${spec.short}, ` : ''}--${optionName(spec)} <path>`;
  const option = new Option(flags, `${spec.help} [${spec.formats.join(', ')}]${spec.multiple ? ' (repeatable)' : ''}`);
  if (spec.multiple) option.argParser(collect);
  if (!spec.optional) option.makeOptionMandatory();
  return option;
}

/** A parameter's value for the node: a list parameter's values one per line, as the description holds them. */
function parameterValue(spec: ParameterSpec, value: unknown): unknown {
  return spec.type === 'text' && spec.lines && Array.isArray(value) ? value.join('\n') : value;
}

/** The command group for a node's command words (e.g. `classify` for `classify train`). */
function parentFor(program: Command, words: string[]): Command {
  let parent = program;
  for (const word of words.slice(0, -1)) {
    parent = parent.commands.find((c) => c.name() === word) ?? parent.command(word).description(`${word} commands`);
  }
  return parent;
}

/** What the user asked a node command for, beside the run record. */
export interface Invocation {
  /** Output paths as requested (a failed run may not have written them). */
  outputs: Record<string, string>;
  /** All parsed command-line options. */
  options: Record<string, unknown>;
}

export interface NodeCommandOptions {
  /** Add options the caller handles (e.g. FAIR metadata for the crate). */
  configure?: (command: Command) => void;
  /** Check those options before the node runs, so a typo never costs a long run. */
  check?: (options: Record<string, unknown>) => void | Promise<void>;
  /** Write the run's provenance (called for failed runs too). */
  onRecord?: (record: RunRecord, invocation: Invocation) => Promise<unknown>;
}

export function registerNode(program: Command, node: AnalysisNode, options: NodeCommandOptions = {}): Command {
  const d = node.description;
  const command = parentFor(program, d.command)
    .command(d.command[d.command.length - 1])
    .summary(d.summary)
    .description(`${d.summary}\n\n${d.help}`);
  const data = [...d.inputs.map((s) => ({ s, kind: 'input' as const })), ...d.outputs.map((s) => ({ s, kind: 'output' as const }))];
  const positional = data.filter(({ s }) => s.positional);
  for (const { s } of positional) command.argument(`${s.optional ? '[' : '<'}${s.name}${s.multiple ? '...' : ''}${s.optional ? ']' : '>'}`, `${s.help} [${s.formats.join(', ')}]`);
  for (const { s } of data.filter(({ s }) => !s.positional)) command.addOption(dataOption(s));
  for (const p of d.parameters) command.addOption(parameterOption(p));
  options.configure?.(command);
  command
    .option('--overwrite', 'replace outputs that exist')
    .option('--workers <n>', 'worker threads (default: all cores)')
    .option('--json', 'print a JSON document: outputs, summary and the run record')
    .option('-q, --quiet', 'no progress bar');

  command.action(async (...args: unknown[]) => {
    const opts = args[positional.length] as Record<string, unknown>;
    const valueOf = (s: DataSpec) => {
      const i = positional.findIndex((p) => p.s === s);
      return (i >= 0 ? args[i] : opts[camel(optionName(s))]) as string | string[] | undefined;
    };
    await options.check?.(opts);
    const outputs: Record<string, string> = Object.fromEntries(d.outputs.flatMap((s) => (valueOf(s) === undefined ? [] : [[s.name, valueOf(s) as string]])));
    const progress = createProgress(d.name, { quiet: Boolean(opts.quiet) });
    try {
      const { result, record } = await runNode(
        node,
        {
          inputs: Object.fromEntries(d.inputs.map((s) => [s.name, valueOf(s)])),
          outputs,
          parameters: Object.fromEntries(d.parameters.map((p) => [p.name, parameterValue(p, opts[camel(optionName(p))])])),
          overwrite: Boolean(opts.overwrite),
          workers: opts.workers === undefined ? undefined : Number(opts.workers),
          onProgress: (done, total) => progress.update(done, total),
        },
        { onRecord: options.onRecord && (async (r) => void (await options.onRecord!(r, { outputs, options: opts }))) },
      );
      progress.stop();
      emit({ outputs: result.outputs, summary: result.summary, record }, { json: Boolean(opts.json) }, (r) =>
        [
          `${d.name}: done in ${((Date.parse(record.endTime) - Date.parse(record.startTime)) / 1000).toFixed(1)} s`,
          ...Object.entries(r.outputs).map(([name, path]) => `  ${name}: ${Array.isArray(path) ? path.join(', ') : path}`),
          ...Object.entries(r.summary ?? {}).map(([k, v]) => `  ${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`),
        ].join('\n'),
      );
    } finally {
      progress.stop();
    }
  });
  return command;
}
