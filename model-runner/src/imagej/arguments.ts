/**
 * What a macro is given. The user's arguments arrive as a list of `key=value`
 * strings (`--arg sigma=2 --arg "name=cell A"` on the command line, one per
 * line in a Galaxy form); each value is everything after the first `=`,
 * taken verbatim — no quoting, no shell — and reaches ImageJ byte for byte,
 * through a job file. The macro sees them in two ways, as a macro recorded
 * in Fiji expects:
 * - `getArgument()` is `input=<path> output=<dir>` followed by the arguments,
 *   in ImageJ's option syntax (a value with spaces in [brackets]), so
 *   `call("ij.Macro.getValue", getArgument(), "sigma", "1")` reads one;
 * - Fiji script parameters (`#@ Double sigma`) become plain assignments
 *   (`sigma = 2;`) before the macro runs, so they work in ImageJ 1.x too, and
 *   line numbers in ImageJ's error messages still match the user's file.
 */
import { FairioError } from '@fairio/ngff';

export interface MacroParameter {
  key: string;
  value: string;
}

/** Names fairio sets itself in `getArgument()`. */
const RESERVED = new Set(['input', 'output']);
const KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

function invalid(message: string): FairioError {
  return new FairioError('INVALID_ARGUMENT', `imagej-macro: macro argument: ${message}`);
}

/** Check `key=value` arguments: the key before the first `=`, the value verbatim after it. */
export function parseMacroArguments(pairs: readonly string[] | undefined): MacroParameter[] {
  const out: MacroParameter[] = [];
  for (const pair of pairs ?? []) {
    const eq = pair.indexOf('=');
    const key = eq < 0 ? pair : pair.slice(0, eq);
    if (eq < 0 || !KEY.test(key)) {
      throw invalid(`expected key=value, found "${pair}" (keys are letters, digits, _ . -, starting with a letter or _)`);
    }
    if (RESERVED.has(key)) throw invalid(`"${key}" is set by fairio (the input image and the output folder); choose another name`);
    if (out.some((p) => p.key === key)) throw invalid(`"${key}" is given twice`);
    const value = pair.slice(eq + 1);
    // The job file is one line per image and tab-separated.
    if (/[\r\n\t\0]/.test(value)) throw invalid(`the value of "${key}" contains a line break, tab or NUL, which cannot be passed to ImageJ`);
    out.push({ key, value });
  }
  return out;
}

/** One `key=value` in ImageJ's option syntax: [brackets] around values with spaces. */
function option(key: string, value: string): string {
  if (value !== '' && !/\s/.test(value) && !value.startsWith('[')) return `${key}=${value}`;
  if (value.includes(']')) throw invalid(`the value of "${key}" has both spaces and "]", which ImageJ's option syntax cannot hold`);
  return `${key}=[${value}]`;
}

/** `getArgument()` of the user's macro: `input=<path> output=<dir>` then the parameters. */
export function macroArgument(input: string, output: string, parameters: MacroParameter[]): string {
  return [option('input', input), option('output', output), ...parameters.map((p) => option(p.key, p.value))].join(' ');
}

/** A macro-language string literal: backslash escapes are all ImageJ's lexer knows. */
export function macroString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}"`;
}

const NUMERIC = new Set(['byte', 'short', 'int', 'integer', 'long', 'float', 'double', 'number', 'biginteger', 'bigdecimal']);
const IMAGE_TYPES = new Set(['imageplus', 'dataset', 'img', 'imgplus', 'imagedisplay', 'randomaccessibleinterval']);

/** The parts of a script-parameter line: `#@ Type (attributes) name`. */
const SCRIPT_PARAMETER = /^\s*#@\s*(\w*)\s*(?:\((.*)\))?\s*([A-Za-z_]\w*)?\s*$/;

function attribute(attributes: string | undefined, name: string): string | undefined {
  const m = attributes?.match(new RegExp(`(?:^|,)\\s*${name}\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^,]*))`));
  if (!m) return undefined;
  return m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2].trim();
}

/**
 * Replace every `#@` script-parameter line with an assignment from
 * `values` (then the annotation's `value=` default). `input` and `output`
 * default to the input image's path and the output folder; an image-typed
 * parameter is the input image's ID. `#@output` lines are dropped.
 */
export function fillScriptParameters(macro: string, values: Record<string, string>): string {
  const missingNames: string[] = [];
  const lines = macro.split('\n').map((line) => {
    if (!/^\s*#@/.test(line)) return line;
    if (/^\s*#@\s*output\b/i.test(line)) return '';
    const m = line.match(SCRIPT_PARAMETER);
    if (!m || !m[3]) throw new FairioError('INVALID_ARGUMENT', `imagej-macro: cannot read the script parameter line "${line.trim()}" (expected "#@ Type name" or "#@ Type (attributes) name")`);
    const [, rawType, attributes, name] = m;
    const type = rawType.toLowerCase();
    if (IMAGE_TYPES.has(type)) return `${name} = getImageID();`;
    const value = values[name] ?? attribute(attributes, 'value');
    if (value === undefined) {
      missingNames.push(name);
      return '';
    }
    if (NUMERIC.has(type)) {
      if (value.trim() === '' || !Number.isFinite(Number(value))) {
        throw new FairioError('INVALID_ARGUMENT', `imagej-macro: script parameter "${name}" is a ${rawType}, but its value "${value}" is not a number`);
      }
      return `${name} = ${Number(value)};`;
    }
    if (type === 'boolean') {
      if (!/^(true|false|1|0)$/i.test(value)) throw new FairioError('INVALID_ARGUMENT', `imagej-macro: script parameter "${name}" is a Boolean, but its value is "${value}" (use true or false)`);
      return `${name} = ${/^(true|1)$/i.test(value)};`;
    }
    return `${name} = ${macroString(value)};`;
  });
  if (missingNames.length) {
    throw new FairioError('INVALID_ARGUMENT', `imagej-macro: the macro asks for script parameter${missingNames.length > 1 ? 's' : ''} ${missingNames.join(', ')}: give ${missingNames.length > 1 ? 'them' : 'it'} as macro arguments (e.g. --arg ${missingNames[0]}=…)`);
  }
  return lines.join('\n');
}
