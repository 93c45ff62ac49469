/**
 * What a macro is given. The user's `params` text (`sigma=2 name="cell A"`)
 * is parsed and checked here, never by a shell: values reach ImageJ byte for
 * byte, through a job file. The macro sees them in two ways, as a macro
 * recorded in Fiji expects:
 * - `getArgument()` is `input=<path> output=<dir>` followed by the parameters,
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
  return new FairioError('INVALID_ARGUMENT', `imagej-macro: parameter text: ${message}`);
}

/**
 * Parse `key=value` pairs separated by white space. A value may be written
 * bare (up to the next white space), in double quotes (with `\"` and `\\`),
 * in single quotes, or in ImageJ's [brackets]; quoting only delimits, it is
 * never interpreted further.
 */
export function parseMacroParameters(text: string | undefined): MacroParameter[] {
  const out: MacroParameter[] = [];
  if (!text) return out;
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && /\s/.test(text[i])) i++;
    if (i >= n) break;
    const eq = text.indexOf('=', i);
    const keyEnd = eq < 0 ? n : eq;
    const key = text.slice(i, keyEnd);
    if (eq < 0 || /\s/.test(key) || !KEY.test(key)) {
      const word = text.slice(i).split(/\s/)[0];
      throw invalid(`expected key=value, found "${word}" (keys are letters, digits, _ . -, starting with a letter or _)`);
    }
    if (RESERVED.has(key)) throw invalid(`"${key}" is set by fairio (the input image and the output folder); choose another name`);
    if (out.some((p) => p.key === key)) throw invalid(`"${key}" is given twice`);
    i = eq + 1;
    let value = '';
    const open = text[i];
    if (open === '"' || open === "'" || open === '[') {
      const close = open === '[' ? ']' : open;
      i++;
      let closed = false;
      while (i < n) {
        const c = text[i];
        if (open === '"' && c === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) {
          value += text[i + 1];
          i += 2;
          continue;
        }
        if (c === close) {
          closed = true;
          i++;
          break;
        }
        value += c;
        i++;
      }
      if (!closed) throw invalid(`the value of "${key}" opens with ${open} but never closes`);
      if (i < n && !/\s/.test(text[i])) throw invalid(`after the closing ${close} of "${key}" comes "${text[i]}"; separate parameters with spaces`);
    } else {
      while (i < n && !/\s/.test(text[i])) value += text[i++];
    }
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
    throw new FairioError('INVALID_ARGUMENT', `imagej-macro: the macro asks for script parameter${missingNames.length > 1 ? 's' : ''} ${missingNames.join(', ')}: give ${missingNames.length > 1 ? 'them' : 'it'} in params (e.g. ${missingNames[0]}=…)`);
  }
  return lines.join('\n');
}
