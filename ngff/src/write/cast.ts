/**
 * Changing the pixel type on the way to disk: integers round to nearest and
 * clamp to the target's range (a 16-bit image written as 8-bit saturates
 * rather than wrapping around); floats pass through.
 */
import { DATA_TYPES, type DataType, type TypedArray } from '../zarr/index.js';
import type { ImageSource } from './write-image.js';

export function castArray(data: TypedArray, dtype: DataType): TypedArray {
  const target = DATA_TYPES[dtype];
  const out = new target.array(data.length);
  if (!target.integer) {
    out.set(data as never);
    return out;
  }
  const { min, max } = target;
  for (let i = 0; i < data.length; i++) {
    const v = Math.round(data[i]);
    out[i] = v < min ? min : v > max ? max : v !== v ? 0 : v; // NaN → 0
  }
  return out;
}

/** The same source, delivering pixels of another type. */
export function castSource(source: ImageSource, dtype: DataType): ImageSource {
  if (source.dtype === dtype) return source;
  return {
    shape: source.shape,
    dtype,
    async read(start, stop) {
      const raw = await source.read(start, stop);
      const cast = castArray(raw, dtype);
      source.release?.(raw); // the source's block is copied: done with
      return cast;
    },
  };
}
