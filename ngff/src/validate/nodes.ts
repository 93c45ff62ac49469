/**
 * Read one Zarr node's metadata (v2 `.zgroup`/`.zarray`/`.zattrs` or v3
 * `zarr.json`) as raw JSON, without opening arrays or reading chunks, and
 * turn unreadable metadata into findings rather than exceptions.
 */
import { isFairioError } from '../errors.js';
import { readJson, type NamedStore } from '../store.js';
import { isObject, type JsonObject } from './detect.js';
import { error, type Finding } from './report.js';

export type ZarrFormat = 2 | 3;

export interface ArrayInfo {
  shape: number[];
  /** Chunk shape as the grid declares it (outer chunks when sharded); undefined for grids we cannot read. */
  chunks?: number[];
  /** Inner chunk shape of a sharded v3 array. */
  innerChunks?: number[];
  /** `uint8`, `int32`, `float64`… (v3 names; v2 dtypes are translated). */
  dtype: string;
  /** v3 `dimension_names`, when present. */
  dimensionNames?: (string | null)[];
}

export type ZarrNode =
  | { type: 'missing' }
  | { type: 'unreadable'; findings: Finding[] }
  | { type: 'group'; format: ZarrFormat; attributes: JsonObject }
  | { type: 'array'; format: ZarrFormat; attributes: JsonObject; array?: ArrayInfo; findings: Finding[] };

/** `''` for the root, else `a/b`; keys are `/a/b/zarr.json`. */
export function joinPath(...parts: string[]): string {
  return parts
    .flatMap((p) => p.split('/'))
    .filter((p) => p !== '')
    .join('/');
}

/** How a node path appears in findings: `/` for the root, `/labels/cells` below it. */
export function displayPath(path: string): string {
  return `/${path}`;
}

async function tryRead(store: NamedStore, key: string, findings: Finding[]): Promise<JsonObject | undefined> {
  try {
    return await readJson(store, `/${key}`);
  } catch (e) {
    if (isFairioError(e)) {
      const code =
        e.code === 'INVALID_JSON' ? 'invalid-json'
        : e.code === 'IO_ERROR' ? 'io-error'
        : /refusing store key/.test(e.message) ? 'path-outside-store'
        : 'zarr-metadata-invalid';
      findings.push(error(code, `${key}: ${e.message.replace(`${store.location}: `, '')}`, `/${key}`));
      return undefined;
    }
    throw e;
  }
}

const isIntList = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => Number.isInteger(x) && x >= 0);

/** Zarr v2 dtype strings (`<u2`, `|b1`, `<f8`) as v3 data type names. */
function v2Dtype(dtype: unknown): string {
  if (typeof dtype !== 'string') return 'structured';
  const match = /^[<>|]?([biufcmMSUV])(\d+)/.exec(dtype);
  if (!match) return dtype;
  const [, kind, size] = match;
  const bits = Number(size) * 8;
  switch (kind) {
    case 'b':
      return 'bool';
    case 'i':
      return `int${bits}`;
    case 'u':
      return `uint${bits}`;
    case 'f':
      return `float${bits}`;
    case 'c':
      return `complex${bits}`;
    default:
      return dtype;
  }
}

function v2Array(meta: JsonObject, path: string): { array?: ArrayInfo; findings: Finding[] } {
  if (!isIntList(meta.shape)) return { findings: [error('zarr-metadata-invalid', `.zarray has no valid "shape"`, displayPath(path))] };
  return {
    array: { shape: meta.shape, chunks: isIntList(meta.chunks) ? meta.chunks : undefined, dtype: v2Dtype(meta.dtype) },
    findings: isIntList(meta.chunks) ? [] : [error('zarr-metadata-invalid', `.zarray has no valid "chunks"`, displayPath(path))],
  };
}

function v3Array(meta: JsonObject, path: string): { array?: ArrayInfo; findings: Finding[] } {
  if (!isIntList(meta.shape)) return { findings: [error('zarr-metadata-invalid', `zarr.json of an array has no valid "shape"`, displayPath(path))] };
  const grid = isObject(meta.chunk_grid) ? meta.chunk_grid : {};
  const config = isObject(grid.configuration) ? grid.configuration : {};
  const chunks = grid.name === 'regular' && isIntList(config.chunk_shape) ? config.chunk_shape : undefined;
  const codecs = Array.isArray(meta.codecs) ? meta.codecs.filter(isObject) : [];
  const sharding = codecs.find((c) => c.name === 'sharding_indexed');
  const shardConfig = sharding && isObject(sharding.configuration) ? sharding.configuration : {};
  const names = meta.dimension_names;
  const array: ArrayInfo = {
    shape: meta.shape,
    chunks,
    dtype: typeof meta.data_type === 'string' ? meta.data_type : 'extension',
    ...(isIntList(shardConfig.chunk_shape) ? { innerChunks: shardConfig.chunk_shape } : {}),
    ...(Array.isArray(names) ? { dimensionNames: names.map((n) => (typeof n === 'string' ? n : null)) } : {}),
  };
  return { array, findings: [] };
}

/** Read the node at `path` in the given Zarr format. */
export async function readNode(store: NamedStore, path: string, format: ZarrFormat): Promise<ZarrNode> {
  const findings: Finding[] = [];
  if (format === 3) {
    const meta = await tryRead(store, joinPath(path, 'zarr.json'), findings);
    if (findings.length) return { type: 'unreadable', findings };
    if (!meta) return { type: 'missing' };
    const attributes = isObject(meta.attributes) ? meta.attributes : {};
    if (meta.node_type === 'group') return { type: 'group', format, attributes };
    if (meta.node_type === 'array') return { type: 'array', format, attributes, ...v3Array(meta, path) };
    return { type: 'unreadable', findings: [error('zarr-metadata-invalid', `zarr.json has node_type ${JSON.stringify(meta.node_type)}; expected "group" or "array"`, displayPath(path))] };
  }
  const zarray = await tryRead(store, joinPath(path, '.zarray'), findings);
  const zattrs = await tryRead(store, joinPath(path, '.zattrs'), findings);
  if (findings.length) return { type: 'unreadable', findings };
  if (zarray) return { type: 'array', format, attributes: zattrs ?? {}, ...v2Array(zarray, path) };
  const zgroup = await tryRead(store, joinPath(path, '.zgroup'), findings);
  if (findings.length) return { type: 'unreadable', findings };
  // A v2 group without .zgroup but with .zattrs is still readable by most tools; treat it as a group.
  if (zgroup || zattrs) return { type: 'group', format, attributes: zattrs ?? {} };
  return { type: 'missing' };
}

/** Which Zarr format the root speaks: v3 when it has `zarr.json`, else v2. */
export async function rootFormat(store: NamedStore): Promise<{ format?: ZarrFormat; findings: Finding[] }> {
  const findings: Finding[] = [];
  const v3 = await readNode(store, '', 3);
  if (v3.type !== 'missing') return { format: 3, findings };
  const v2 = await readNode(store, '', 2);
  if (v2.type !== 'missing') return { format: 2, findings };
  findings.push(error('zarr-metadata-missing', 'no Zarr metadata at the root (neither zarr.json nor .zgroup/.zattrs)', '/'));
  return { findings };
}

const INTEGER_TYPES = new Set(['int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32', 'uint64']);

export function isIntegerDtype(dtype: string): boolean {
  return INTEGER_TYPES.has(dtype);
}
