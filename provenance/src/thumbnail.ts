/**
 * Thumbnails of OME-Zarr images for the HTML preview: the pyramid level
 * closest to the thumbnail size (so only a few small chunks are read), first
 * time point, middle z plane, up to three channels blended in their OMERO
 * colours and display windows, encoded as an RGB PNG.
 */
import * as zlib from 'node:zlib';
import { openOmeZarr } from '@fairio/ngff';
import { crc32 } from './zip.js';

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** An 8-bit RGB PNG of `width × height` pixels (`rgb` in row order, 3 bytes a pixel). */
export function encodePng(width: number, height: number, rgb: Uint8Array): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // truecolour
  const raw = Buffer.alloc(height * (1 + width * 3));
  for (let y = 0; y < height; y++) {
    raw[y * (1 + width * 3)] = 0; // no filter
    raw.set(rgb.subarray(y * width * 3, (y + 1) * width * 3), y * (1 + width * 3) + 1);
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', new Uint8Array(0))]);
}

const DEFAULT_COLOURS = ['FFFFFF', '00FF00', 'FF00FF'];

function hexColour(hex: string | undefined, fallback: string): [number, number, number] {
  const h = /^[0-9A-Fa-f]{6}$/.test(hex ?? '') ? hex! : fallback;
  return [parseInt(h.slice(0, 2), 16) / 255, parseInt(h.slice(2, 4), 16) / 255, parseInt(h.slice(4, 6), 16) / 255];
}

/** A PNG thumbnail (longest side ≤ `size`) of an OME-Zarr image, or undefined when it holds no readable image. */
export async function renderThumbnail(omeZarr: string, size = 192): Promise<Buffer | undefined> {
  try {
    const group = await openOmeZarr(omeZarr);
    if (group.kind !== 'image') return undefined;
    const image = await group.image();
    const names = image.axisNames;
    const iy = names.indexOf('y');
    const ix = names.indexOf('x');
    if (iy < 0 || ix < 0) return undefined;
    // The finest level whose plane is no more than twice the thumbnail.
    let level = image.levels.length - 1;
    for (let i = 0; i < image.levels.length; i++) {
      const s = image.levels[i].shape;
      if (Math.max(s[iy], s[ix]) <= 2 * size) {
        level = i;
        break;
      }
    }
    const shape = image.levels[level].shape;
    const channels = names.includes('c') ? Math.min(3, shape[names.indexOf('c')]) : 1;
    const select: Record<string, number | [number, number]> = {};
    if (names.includes('t')) select.t = 0;
    if (names.includes('z')) select.z = Math.floor(shape[names.indexOf('z')] / 2);
    if (names.includes('c')) select.c = [0, channels];
    const region = await image.readRegion({ level, select });
    const h = shape[iy];
    const w = shape[ix];
    const scale = Math.max(1, Math.max(h, w) / size);
    const th = Math.max(1, Math.round(h / scale));
    const tw = Math.max(1, Math.round(w / scale));
    const rgb = new Float32Array(th * tw * 3);
    const data = region.data as ArrayLike<number | bigint>;
    const omero = image.omero?.channels ?? [];
    for (let c = 0; c < channels; c++) {
      const offset = c * h * w;
      let lo = Number(omero[c]?.window?.start ?? NaN);
      let hi = Number(omero[c]?.window?.end ?? NaN);
      if (!Number.isFinite(lo) || !Number.isFinite(hi) || hi <= lo) {
        lo = Infinity;
        hi = -Infinity;
        for (let i = 0; i < h * w; i++) {
          const v = Number(data[offset + i]);
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
        if (!(hi > lo)) hi = lo + 1;
      }
      const colour = hexColour(channels === 1 ? 'FFFFFF' : omero[c]?.color, DEFAULT_COLOURS[c]);
      for (let y = 0; y < th; y++) {
        const sy = Math.min(h - 1, Math.floor(y * scale));
        for (let x = 0; x < tw; x++) {
          const sx = Math.min(w - 1, Math.floor(x * scale));
          const v = Math.min(1, Math.max(0, (Number(data[offset + sy * w + sx]) - lo) / (hi - lo)));
          const o = (y * tw + x) * 3;
          rgb[o] += v * colour[0];
          rgb[o + 1] += v * colour[1];
          rgb[o + 2] += v * colour[2];
        }
      }
    }
    const bytes = new Uint8Array(rgb.length);
    for (let i = 0; i < rgb.length; i++) bytes[i] = Math.round(255 * Math.min(1, rgb[i]));
    return encodePng(tw, th, bytes);
  } catch {
    return undefined;
  }
}
