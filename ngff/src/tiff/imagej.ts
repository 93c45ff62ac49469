/**
 * ImageJ hyperstack metadata: the `ImageJ=` (or SCIFIO's `SCIFIO=`) image
 * description of key=value lines, and channel colours from the LUTs that
 * ImageJ stores in its private IJMetadata tag.
 */

/** key=value pairs of an ImageJ/SCIFIO description, or undefined when it is not one. */
export function parseImageJDescription(description: string | undefined): Record<string, string> | undefined {
  if (!description || !(description.startsWith('ImageJ=') || description.startsWith('SCIFIO='))) return undefined;
  const out: Record<string, string> = {};
  for (const line of description.split(/\r?\n/)) {
    const eq = line.indexOf('=');
    if (eq > 0) out[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return out;
}

/** Positive integer value of a key, else undefined. */
export function imagejInt(meta: Record<string, string>, key: string): number | undefined {
  const v = Number(meta[key]);
  return Number.isInteger(v) && v > 0 ? v : undefined;
}

export function imagejNumber(meta: Record<string, string>, key: string): number | undefined {
  const v = Number(meta[key]);
  return meta[key] !== undefined && Number.isFinite(v) && v > 0 ? v : undefined;
}

const LUTS = 0x6c757473; // 'luts'

/**
 * Colours ('RRGGBB', the LUT's brightest entry) of the LUTs in an IJMetadata
 * tag. `counts` is IJMetadataByteCounts: the header size, then one size per entry.
 */
export function lutColors(data: Uint8Array, counts: ArrayLike<number>): string[] | undefined {
  if (data.length < 4 || counts.length < 1) return undefined;
  const magic = String.fromCharCode(data[0], data[1], data[2], data[3]);
  if (magic !== 'IJIJ' && magic !== 'JIJI') return undefined;
  const littleEndian = magic === 'JIJI';
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const headerSize = counts[0];
  const colors: string[] = [];
  let entry = 1;
  let pos = headerSize;
  for (let h = 4; h + 8 <= headerSize && h + 8 <= data.length; h += 8) {
    const type = view.getUint32(h, littleEndian);
    const n = view.getUint32(h + 4, littleEndian);
    for (let i = 0; i < n && entry < counts.length; i++, entry++) {
      const size = counts[entry];
      if (type === LUTS && size >= 768 && pos + 768 <= data.length) {
        const hex = (v: number): string => v.toString(16).padStart(2, '0');
        colors.push((hex(data[pos + 255]) + hex(data[pos + 511]) + hex(data[pos + 767])).toUpperCase());
      }
      pos += size;
    }
  }
  return colors.length > 0 ? colors : undefined;
}
