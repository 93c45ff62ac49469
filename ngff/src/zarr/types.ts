/**
 * The vocabulary of the Zarr writer: data types (zarrita's names), the
 * compressors fairio writes, and the array specification that `createArray`
 * turns into `.zarray` (Zarr v2) or `zarr.json` (Zarr v3).
 */

export type DataType = 'uint8' | 'int8' | 'uint16' | 'int16' | 'uint32' | 'int32' | 'float32' | 'float64' | 'bool';

/** The typed arrays that hold pixels; `bool` pixels are a `Uint8Array` of 0 and 1. */
export type TypedArray =
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array
  | Float32Array
  | Float64Array;

export type BloscCompressor = {
  id: 'blosc';
  /** Default `lz4` (zarr-python's v2 default). */
  cname?: 'lz4' | 'zstd' | 'blosclz' | 'zlib';
  /** 0–9, default 5. */
  clevel?: number;
  /** Default `shuffle`. */
  shuffle?: 'noshuffle' | 'shuffle' | 'bitshuffle';
};
export type ZstdCompressor = { id: 'zstd'; /** 1–22, default 3 (0 means zstd's default, 3). */ level?: number };
export type GzipCompressor = { id: 'gzip'; /** 0–9, default 5. */ level?: number };
export type Compressor = BloscCompressor | ZstdCompressor | GzipCompressor | { id: 'none' };

export interface ArraySpec {
  format: 2 | 3;
  shape: number[];
  chunks: number[];
  /** v3 only: shard shape, a multiple of `chunks` on every axis. */
  shards?: number[];
  dtype: DataType;
  compressor: Compressor;
  /** Default 0 (false for bool); NaN and ±Infinity are allowed for floats. */
  fillValue?: number;
  /** v3 only (`dimension_names`); ignored for v2, where NGFF 0.4 keeps axes in the multiscales. */
  dimensionNames?: string[];
  attributes?: Record<string, unknown>;
}

export interface TypedArrayConstructor {
  new (length: number): TypedArray;
  new (buffer: ArrayBuffer, byteOffset: number, length: number): TypedArray;
  readonly name: string;
}

/** Per data type: bytes per pixel, the typed array that holds it, and the v2 dtype string. */
export const DATA_TYPES: Record<
  DataType,
  { itemsize: number; v2: string; integer: boolean; min: number; max: number; array: TypedArrayConstructor }
> = {
  uint8: { itemsize: 1, v2: '|u1', integer: true, min: 0, max: 255, array: Uint8Array },
  int8: { itemsize: 1, v2: '|i1', integer: true, min: -128, max: 127, array: Int8Array },
  uint16: { itemsize: 2, v2: '<u2', integer: true, min: 0, max: 65535, array: Uint16Array },
  int16: { itemsize: 2, v2: '<i2', integer: true, min: -32768, max: 32767, array: Int16Array },
  uint32: { itemsize: 4, v2: '<u4', integer: true, min: 0, max: 4294967295, array: Uint32Array },
  int32: { itemsize: 4, v2: '<i4', integer: true, min: -2147483648, max: 2147483647, array: Int32Array },
  float32: { itemsize: 4, v2: '<f4', integer: false, min: -Infinity, max: Infinity, array: Float32Array },
  float64: { itemsize: 8, v2: '<f8', integer: false, min: -Infinity, max: Infinity, array: Float64Array },
  bool: { itemsize: 1, v2: '|b1', integer: true, min: 0, max: 1, array: Uint8Array },
};
