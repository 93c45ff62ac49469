/**
 * NumPy `.npy` files (format 1.0–3.0) for bioimage.io test tensors: parse the
 * header, check that the declared shape fits the bytes that are there before
 * allocating anything, and write little-endian C-order arrays. No Node
 * imports: the same code reads test tensors in the browser.
 */
import { FairioError } from '@fairio/ngff/browser';
import { DTYPES, type NdArray, type TensorDtype, type TypedArray } from './processing/tensor.js';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

const DESCR: Record<string, TensorDtype> = {
  '|u1': 'uint8', '|i1': 'int8', '|b1': 'bool', '<u2': 'uint16', '<i2': 'int16', '<u4': 'uint32', '<i4': 'int32',
  '<u8': 'uint64', '<i8': 'int64', '<f4': 'float32', '<f8': 'float64',
  '>u2': 'uint16', '>i2': 'int16', '>u4': 'uint32', '>i4': 'int32', '>u8': 'uint64', '>i8': 'int64', '>f4': 'float32', '>f8': 'float64',
};
const WRITE_DESCR: Record<TensorDtype, string> = {
  uint8: '|u1', int8: '|i1', bool: '|b1', uint16: '<u2', int16: '<i2', uint32: '<u4', int32: '<i4',
  uint64: '<u8', int64: '<i8', float32: '<f4', float64: '<f8',
};

export interface NpyOptions {
  /** Name used in error messages (a file or URL). */
  where?: string;
  /** Refuse arrays larger than this many bytes (default 4 GiB). */
  maxBytes?: number;
}

function fail(message: string, where?: string): never {
  throw new FairioError('INVALID_ARGUMENT', `not a readable .npy file: ${message}`, { path: where });
}

/** The header of a .npy file: dtype, shape, order and where the data starts. */
export function readNpyHeader(bytes: Uint8Array, where?: string): { dtype: TensorDtype; bigEndian: boolean; shape: number[]; fortranOrder: boolean; dataOffset: number } {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) fail('the file does not start with the NumPy magic string', where);
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLength: number;
  let start: number;
  if (major === 1) {
    headerLength = view.getUint16(8, true);
    start = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) fail('the header is truncated', where);
    headerLength = view.getUint32(8, true);
    start = 12;
  } else {
    fail(`format version ${major} is not supported`, where);
  }
  if (start + headerLength > bytes.length) fail('the header is truncated', where);
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(start, start + headerLength));
  const descr = /'descr'\s*:\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) fail(`the header "${header.trim()}" lacks descr, fortran_order or shape`, where);
  const dtype = DESCR[descr];
  if (!dtype) fail(`data type "${descr}" is not supported (structured and object arrays cannot be test tensors)`, where);
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => {
      const n = Number(s.replace(/L$/, ''));
      if (!Number.isSafeInteger(n) || n < 0) fail(`shape (${shapeText}) is not a tuple of sizes`, where);
      return n;
    });
  return { dtype, bigEndian: descr.startsWith('>'), shape, fortranOrder: fortran === 'True', dataOffset: start + headerLength };
}

function transposeFortran(data: TypedArray, shape: number[]): TypedArray {
  const n = shape.length;
  if (n < 2) return data;
  const out = new (data.constructor as new (n: number) => TypedArray)(data.length);
  const cStrides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const fStrides = shape.map((_, i) => shape.slice(0, i).reduce((a, b) => a * b, 1));
  const pos = new Array<number>(n).fill(0);
  for (let c = 0; c < data.length; c++) {
    let f = 0;
    for (let d = 0; d < n; d++) f += pos[d] * fStrides[d];
    out[c] = data[f] as never;
    for (let d = n - 1; d >= 0; d--) {
      if (++pos[d] < shape[d]) break;
      pos[d] = 0;
    }
  }
  void cStrides;
  return out;
}

/** Parse a .npy file into a C-order array; the declared size is checked against the bytes first. */
export function readNpy(bytes: Uint8Array, options: NpyOptions = {}): NdArray {
  const { where } = options;
  const header = readNpyHeader(bytes, where);
  const { BYTES_PER_ELEMENT, array: Ctor } = DTYPES[header.dtype];
  const count = header.shape.reduce((a, b) => a * b, 1);
  const size = count * BYTES_PER_ELEMENT;
  const maxBytes = options.maxBytes ?? 4 * 2 ** 30;
  if (!Number.isSafeInteger(size) || size > maxBytes) {
    throw new FairioError('SHAPE_TOO_LARGE', `the array of shape (${header.shape.join(', ')}) would take ${(size / 2 ** 30).toFixed(1)} GiB, more than the ${(maxBytes / 2 ** 30).toFixed(1)} GiB allowed`, { path: where });
  }
  if (bytes.length - header.dataOffset !== size) {
    fail(`shape (${header.shape.join(', ')}) of ${header.dtype} needs ${size} bytes of data but the file has ${bytes.length - header.dataOffset}`, where);
  }
  // Copy into an aligned buffer; swap bytes for big-endian data.
  // (A Node Buffer's slice shares memory; copy into a fresh, aligned buffer.)
  const copy = new Uint8Array(size);
  copy.set(bytes.subarray(header.dataOffset, header.dataOffset + size));
  if (header.bigEndian && BYTES_PER_ELEMENT > 1) {
    for (let i = 0; i < copy.length; i += BYTES_PER_ELEMENT) copy.subarray(i, i + BYTES_PER_ELEMENT).reverse();
  }
  let data = new Ctor(copy.buffer, 0, count) as TypedArray;
  if (header.fortranOrder) data = transposeFortran(data, header.shape);
  return { data, shape: header.shape, dtype: header.dtype };
}

/** Encode a C-order array as a .npy file (format 1.0, little-endian). */
export function writeNpy(array: NdArray): Uint8Array {
  const shape = array.shape.length === 1 ? `(${array.shape[0]},)` : `(${array.shape.join(', ')})`;
  let header = `{'descr': '${WRITE_DESCR[array.dtype]}', 'fortran_order': False, 'shape': ${shape}, }`;
  // Pad with spaces so that the data starts at a multiple of 64 bytes, then a newline.
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const data = array.data as TypedArray;
  const out = new Uint8Array(10 + header.length + data.byteLength);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 10 + header.length);
  return out;
}
