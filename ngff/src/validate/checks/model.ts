/**
 * A forgiving view of raw multiscales metadata for the semantic checks: every
 * field is optional and typed only as far as the document proves it, so a
 * check can look at what is there without tripping over what is not (the
 * schema findings already report the shape errors).
 */
import type { NgffVersion } from '../../metadata/types.js';
import { isObject, type JsonObject } from '../detect.js';

export interface LooseAxis {
  name?: string;
  type?: string;
  unit?: string;
}

export interface LooseDataset {
  index: number;
  path?: string;
  /** Per-axis scale, when inline. */
  scale?: number[];
  translation?: number[];
  /** 0.6: where the transformation says it starts and ends. */
  input?: string;
  output?: string;
}

export interface LooseMultiscale {
  index: number;
  name?: string;
  /** The axes of the arrays' own (intrinsic) coordinate system. */
  axes?: LooseAxis[];
  /** Where those axes were found, as a JSON pointer, for messages. */
  axesPointer: string;
  datasets: LooseDataset[];
  /** Multiscale-level scale/translation (0.4/0.5 only). */
  scale?: number[];
  translation?: number[];
  /** 0.6: names of the coordinate systems defined by this multiscale. */
  coordinateSystems?: string[];
  raw: JsonObject;
}

export function arrayOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function numbers(value: unknown): number[] | undefined {
  return Array.isArray(value) && value.every((v) => typeof v === 'number' && Number.isFinite(v)) ? (value as number[]) : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** `{name}` / `{path}` objects in 0.6; plain strings appear in some drafts. */
function endpoint(value: unknown, key: 'name' | 'path'): string | undefined {
  if (typeof value === 'string') return value;
  return isObject(value) ? str(value[key]) : undefined;
}

function axesOf(value: unknown): LooseAxis[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.map((a) => (isObject(a) ? { name: str(a.name), type: str(a.type), unit: str(a.unit) } : {}));
}

/** Fold a transformation list (with 0.6 sequences flattened) into one scale and one translation. */
function scaleAndTranslation(list: unknown): { scale?: number[]; translation?: number[] } {
  const out: { scale?: number[]; translation?: number[] } = {};
  const visit = (t: unknown) => {
    if (!isObject(t)) return;
    if (t.type === 'sequence') arrayOf(t.transformations).forEach(visit);
    else if (t.type === 'scale' && numbers(t.scale)) out.scale ??= numbers(t.scale);
    else if (t.type === 'translation' && numbers(t.translation)) out.translation ??= numbers(t.translation);
  };
  arrayOf(list).forEach(visit);
  return out;
}

export function looseMultiscales(ns: JsonObject, version: NgffVersion): LooseMultiscale[] {
  return arrayOf(ns.multiscales).flatMap((raw, index): LooseMultiscale[] => {
    if (!isObject(raw)) return [];
    const base = version === '0.4' ? '' : '/ome';
    const datasets: LooseDataset[] = arrayOf(raw.datasets).map((d, i) => {
      if (!isObject(d)) return { index: i };
      const transforms = arrayOf(d.coordinateTransformations);
      const first = isObject(transforms[0]) ? transforms[0] : undefined;
      return {
        index: i,
        path: str(d.path),
        ...scaleAndTranslation(transforms),
        ...(version === '0.6' && first ? { input: endpoint(first.input, 'path'), output: endpoint(first.output, 'name') } : {}),
      };
    });
    const m: LooseMultiscale = { index, name: str(raw.name), datasets, axesPointer: `${base}/multiscales/${index}/axes`, raw };
    if (version === '0.6') {
      const systems = arrayOf(raw.coordinateSystems).filter(isObject);
      m.coordinateSystems = systems.map((s) => str(s.name) ?? '');
      // The arrays' axes are those of the system the datasets' transformations lead to.
      const target = datasets.find((d) => d.output !== undefined)?.output;
      let at = systems.findIndex((s) => s.name === target);
      if (at < 0 && systems.length === 1) at = 0;
      if (at >= 0) {
        m.axes = axesOf(systems[at].axes);
        m.axesPointer = `${base}/multiscales/${index}/coordinateSystems/${at}/axes`;
      }
    } else {
      m.axes = axesOf(raw.axes);
      Object.assign(m, scaleAndTranslation(raw.coordinateTransformations));
    }
    return [m];
  });
}
