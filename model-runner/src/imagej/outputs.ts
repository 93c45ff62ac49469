/**
 * What a macro leaves behind, made FAIR: every TIFF in an image's output
 * folder becomes OME-Zarr with its calibration (`convertTiff` reads ImageJ's
 * resolution tags, `unit=`, `spacing=`, `finterval=`); tables and any other
 * file are copied as they are; the image's part of ImageJ's console (the Log,
 * printed Results) is kept as `log.txt`. A `results.csv` the wrapper saved is
 * dropped when the macro had saved the same table under another name.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { convertTiff, openTiff, type ConvertOptions } from '@fairio/ngff';

export interface ImageOutputs {
  /** The image's output folder. */
  folder: string;
  /** OME-Zarr images written. */
  images: string[];
  /** CSV tables. */
  tables: string[];
  /** Other files copied as they are (including TIFFs that could not be converted). */
  files: string[];
  log: string;
  /** Rows of results.csv, when there is one. */
  resultRows?: number;
  warnings: string[];
}

const TIFF = /\.tiff?$/i;

/**
 * The shortest decimal that ImageJ would store as this pixel size: ImageJ
 * writes 1/size in pixels per unit as a fraction over 1 000 000, truncated.
 */
export function imagejIntended(size: number): number {
  const stored = Math.round(1e6 / size);
  for (let digits = 1; digits <= 15; digits++) {
    const candidate = Number(size.toPrecision(digits));
    const perUnit = 1e6 / candidate;
    if (Math.floor(perUnit + 1e-6) === stored || Math.round(perUnit) === stored) return candidate;
  }
  return size;
}

/** ImageJ's rounding makes 0.15 µm come back as 0.150000015 µm: give the converter the pixel size ImageJ meant. */
async function imagejPixelSize(file: string): Promise<Pick<ConvertOptions, 'pixelSize' | 'unit'>> {
  const tiff = await openTiff(file);
  try {
    const [series] = tiff.series;
    const { x, y } = series?.physicalSizes ?? {};
    if (!tiff.imagejMetadata || 'SCIFIO' in tiff.imagejMetadata || !x || !y || x.unit !== y.unit) return {};
    return { pixelSize: { x: imagejIntended(x.value), y: imagejIntended(y.value) }, unit: x.unit };
  } finally {
    await tiff.close();
  }
}

function unique(dir: string, name: string, ext: string, taken: Set<string>): string {
  let candidate = `${name}${ext}`;
  for (let i = 2; taken.has(candidate) || fs.existsSync(path.join(dir, candidate)); i++) candidate = `${name}-${i}${ext}`;
  taken.add(candidate);
  return path.join(dir, candidate);
}

/** Rows of an ImageJ CSV (lines after the header; ImageJ ends each with a newline). */
export function csvRows(text: string): number {
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  return Math.max(0, lines.length - 1);
}

/** Move a macro's output folder `from` into `to` (which must not exist), converting TIFFs to OME-Zarr. */
export async function collectOutputs(from: string, to: string, log: string, options: { workers?: number } = {}): Promise<ImageOutputs> {
  fs.mkdirSync(to, { recursive: true });
  const out: ImageOutputs = { folder: to, images: [], tables: [], files: [], log: path.join(to, 'log.txt'), warnings: [] };
  const taken = new Set<string>(['log.txt']);
  const entries = fs.existsSync(from) ? fs.readdirSync(from, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name)) : [];
  // The Results table the wrapper saved duplicates a table the macro saved itself: keep the macro's.
  const auto = path.join(from, 'results.csv');
  if (fs.existsSync(auto)) {
    const text = fs.readFileSync(auto);
    const twin = entries.find((e) => e.isFile() && e.name !== 'results.csv' && /\.csv$/i.test(e.name) && fs.readFileSync(path.join(from, e.name)).equals(text));
    if (twin) fs.rmSync(auto);
  }
  for (const entry of entries) {
    const source = path.join(from, entry.name);
    if (!fs.existsSync(source)) continue;
    if (entry.isFile() && TIFF.test(entry.name)) {
      const target = unique(to, entry.name.replace(TIFF, ''), '.ome.zarr', taken);
      try {
        await convertTiff(source, target, { workers: options.workers, ...(await imagejPixelSize(source)) });
        out.images.push(target);
        continue;
      } catch (error) {
        out.warnings.push(`${entry.name} was kept as TIFF: it could not be converted to OME-Zarr (${(error as Error).message})`);
      }
    }
    const target = unique(to, path.parse(entry.name).name, path.parse(entry.name).ext, taken);
    fs.cpSync(source, target, { recursive: true });
    if (/\.csv$/i.test(entry.name)) {
      out.tables.push(target);
      if (entry.name === 'results.csv') out.resultRows = csvRows(fs.readFileSync(target, 'utf8'));
    } else {
      out.files.push(target);
    }
  }
  fs.writeFileSync(out.log, log);
  return out;
}
