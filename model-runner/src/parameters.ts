/**
 * Parameter values arrive as strings (CLI, Galaxy) or JSON (workflows); this
 * module turns them into checked, typed values with defaults filled in, and
 * says exactly which parameter is wrong and why.
 */
import { FairioError } from '@fairio/ngff/errors';
import type { NodeDescription, ParameterSpec, ParameterValue } from './node.js';

function invalid(node: NodeDescription, spec: ParameterSpec, problem: string): FairioError {
  return new FairioError('INVALID_ARGUMENT', `${node.id}: parameter "${spec.name}" ${problem}`);
}

/** The values of a `lines` text parameter: one per line, blank lines left out. */
export function parameterLines(text: string | undefined): string[] {
  return (text ?? '').split('\n').filter((line) => line.trim() !== '');
}

/** One value, from a string or a JSON value. */
export function checkParameter(node: NodeDescription, spec: ParameterSpec, raw: unknown): ParameterValue | undefined {
  if (raw === undefined || raw === null || raw === '') {
    if (spec.default !== undefined) return spec.default;
    if (spec.optional) return undefined;
    throw invalid(node, spec, 'is required');
  }
  switch (spec.type) {
    case 'integer':
    case 'float': {
      const value = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
      if (!Number.isFinite(value)) throw invalid(node, spec, `must be a number, not ${JSON.stringify(raw)}`);
      if (spec.type === 'integer' && !Number.isInteger(value)) throw invalid(node, spec, `must be a whole number, not ${value}`);
      if (spec.min !== undefined && value < spec.min) throw invalid(node, spec, `must be at least ${spec.min}, not ${value}`);
      if (spec.max !== undefined && value > spec.max) throw invalid(node, spec, `must be at most ${spec.max}, not ${value}`);
      return value;
    }
    case 'boolean':
      if (typeof raw === 'boolean') return raw;
      if (raw === 'true' || raw === '1' || raw === 'yes') return true;
      if (raw === 'false' || raw === '0' || raw === 'no') return false;
      throw invalid(node, spec, `must be true or false, not ${JSON.stringify(raw)}`);
    case 'text': {
      if (typeof raw !== 'string') throw invalid(node, spec, `must be text, not ${JSON.stringify(raw)}`);
      // A list (one value per line) from a browser's text area may end its lines with CR LF.
      const text = spec.lines ? raw.replace(/\r\n/g, '\n') : raw;
      const pattern = spec.pattern && new RegExp(`^(?:${spec.pattern})$`);
      for (const value of spec.lines ? parameterLines(text) : [text]) {
        if (pattern && !pattern.test(value)) throw invalid(node, spec, `"${value}" does not match ${spec.pattern}`);
      }
      return text;
    }
    case 'choice': {
      const value = String(raw);
      if (!spec.options.some((o) => o.value === value)) {
        throw invalid(node, spec, `must be one of ${spec.options.map((o) => o.value).join(', ')}, not "${value}"`);
      }
      return value;
    }
  }
}

/** All parameters of a node; unknown names are refused (a typo must not pass silently). */
export function checkParameters(node: NodeDescription, raw: Record<string, unknown>): Record<string, ParameterValue | undefined> {
  const known = new Set(node.parameters.map((p) => p.name));
  const unknown = Object.keys(raw).filter((k) => !known.has(k));
  if (unknown.length) {
    throw new FairioError('INVALID_ARGUMENT', `${node.id}: unknown parameter${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (known: ${[...known].join(', ') || 'none'})`);
  }
  return Object.fromEntries(node.parameters.map((spec) => [spec.name, checkParameter(node, spec, raw[spec.name])]));
}
