/**
 * A small OME-Zarr 0.5 image as a list of files (path → bytes), for writers
 * that have no file system: a web page saving through the Jupyter contents
 * API. One level, regular chunks (edge chunks padded with the fill value, as
 * Zarr v3 stores them), the `bytes` codec (little-endian, uncompressed: what
 * every reader decodes), the attributes of `imageAttributes`. Large images go
 * through `writeImage` in Node. Runtime-agnostic: no Node imports.
 */
import { FairioError } from '../errors.js';
import type { Axis } from '../metadata/types.js';
import { imageAttributes, type ChannelDisplay } from './ngff-attributes.js';

type Pixels = Float32Array | Float64Array | Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array;

const DATA_TYPES: [new (n: number) => Pixels, string][] = [
  [Float32Array, 'float32'],
  [Float64Array, 'float64'],
  [Uint8Array, 'uint8'],
  [Int8Array, 'int8'],
  [Uint16Array, 'uint16'],
  [Int16Array, 'int16'],
  [Uint32Array, 'uint32'],
  [Int32Array, 'int32'],
];

export interface ImageFilesInput {
  /** Pixels in C order of `shape`. */
  data: Pixels;
  shape: number[];
  axes: Axis[];
  scale: number[];
  translation?: number[];
  chunks: number[];
  name?: string;
  channels?: ChannelDisplay[];
}

export interface ImageFile {
  /** Path inside the image folder, '/'-separated. */
  path: string;
  bytes: Uint8Array;
}

const json = (value: unknown) => new TextEncoder().encode(`${JSON.stringify(value, null, 2)}\n`);

export function omeZarrFiles(input: ImageFilesInput): ImageFile[] {
  const { data, shape, chunks } = input;
  const n = shape.length;
  if (input.axes.length !== n || input.scale.length !== n || chunks.length !== n) throw new FairioError('INVALID_ARGUMENT', `shape, axes, scale and chunks need one entry per axis (${n})`);
  if (data.length !== shape.reduce((a, b) => a * b, 1)) throw new FairioError('INVALID_ARGUMENT', `${data.length} pixels do not fill shape [${shape.join(', ')}]`);
  const dataType = DATA_TYPES.find(([Ctor]) => data instanceof Ctor)?.[1];
  if (!dataType) throw new FairioError('UNSUPPORTED', 'pixel data of this type cannot be written');
  const Ctor = data.constructor as new (n: number) => Pixels;
  const files: ImageFile[] = [
    { path: 'zarr.json', bytes: json({ zarr_format: 3, node_type: 'group', attributes: imageAttributes({ version: '0.5', name: input.name, axes: input.axes, levels: [{ path: '0', scale: input.scale, translation: input.translation }], channels: input.channels }) }) },
    {
      path: '0/zarr.json',
      bytes: json({
        zarr_format: 3,
        node_type: 'array',
        shape,
        data_type: dataType,
        chunk_grid: { name: 'regular', configuration: { chunk_shape: chunks } },
        chunk_key_encoding: { name: 'default', configuration: { separator: '/' } },
        fill_value: 0,
        codecs: [{ name: 'bytes', configuration: { endian: 'little' } }],
        dimension_names: input.axes.map((a) => a.name),
        attributes: {},
      }),
    },
  ];
  const grid = shape.map((s, d) => Math.ceil(s / chunks[d]));
  const strides = shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));
  const chunkStrides = chunks.map((_, d) => chunks.slice(d + 1).reduce((a, b) => a * b, 1));
  const coord = grid.map(() => 0);
  const little = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
  if (!little) throw new FairioError('UNSUPPORTED', 'writing on a big-endian machine is not supported');
  for (;;) {
    const chunk = new Ctor(chunks.reduce((a, b) => a * b, 1));
    const origin = coord.map((c, d) => c * chunks[d]);
    const extent = origin.map((o, d) => Math.min(chunks[d], shape[d] - o));
    // Copy row by row along the last axis.
    const pos = extent.map(() => 0);
    for (;;) {
      let src = 0;
      let dst = 0;
      for (let d = 0; d < n - 1; d++) {
        src += (origin[d] + pos[d]) * strides[d];
        dst += pos[d] * chunkStrides[d];
      }
      src += origin[n - 1];
      chunk.set(data.subarray(src, src + extent[n - 1]) as never, dst);
      let d = n - 2;
      for (; d >= 0; d--) {
        if (++pos[d] < extent[d]) break;
        pos[d] = 0;
      }
      if (d < 0) break;
    }
    files.push({ path: `0/c/${coord.join('/')}`, bytes: new Uint8Array(chunk.buffer) });
    let d = n - 1;
    for (; d >= 0; d--) {
      if (++coord[d] < grid[d]) break;
      coord[d] = 0;
    }
    if (d < 0) break;
  }
  return files;
}
