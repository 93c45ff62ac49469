/**
 * Physical units: OME, ImageJ and TIFF spell them differently; the rest of
 * fairio speaks NGFF (UDUNITS-2 names such as 'micrometer', 'second').
 */
import type { TiffPage } from './ifd.js';
import type { PhysicalSize } from './types.js';
import { ResolutionUnit } from './tags.js';

const unitNames: Record<string, string> = {
  // length
  'ym': 'yoctometer', 'zm': 'zeptometer', 'am': 'attometer', 'fm': 'femtometer', 'pm': 'picometer',
  'nm': 'nanometer', 'µm': 'micrometer', 'μm': 'micrometer', 'um': 'micrometer', 'micron': 'micrometer', 'microns': 'micrometer',
  'mm': 'millimeter', 'cm': 'centimeter', 'dm': 'decimeter', 'm': 'meter', 'km': 'kilometer',
  'Å': 'angstrom', 'angstrom': 'angstrom', 'A': 'angstrom', 'in': 'inch', 'inch': 'inch', 'ft': 'foot', 'mi': 'mile', 'yd': 'yard',
  // time
  'ys': 'yoctosecond', 'zs': 'zeptosecond', 'as': 'attosecond', 'fs': 'femtosecond', 'ps': 'picosecond',
  'ns': 'nanosecond', 'µs': 'microsecond', 'μs': 'microsecond', 'us': 'microsecond', 'ms': 'millisecond',
  's': 'second', 'sec': 'second', 'min': 'minute', 'h': 'hour', 'd': 'day',
};

const ngffNames = new Set(Object.values(unitNames).concat(['micrometer', 'nanometer', 'millimeter', 'meter', 'second']));

/** The NGFF name of a unit, or the unit as given when it is not recognised; undefined for 'pixel' or blank. */
export function normalizeUnit(unit: string | undefined): string | undefined {
  if (unit === undefined) return undefined;
  const u = unit.trim().replace(/\\u00B5/gi, 'µ');
  if (u === '' || u.toLowerCase() === 'pixel' || u.toLowerCase() === 'pixels') return undefined;
  if (ngffNames.has(u.toLowerCase())) return u.toLowerCase();
  return unitNames[u] ?? unitNames[u.toLowerCase()] ?? u;
}

/**
 * Pixel size from the XResolution/YResolution tags, when ResolutionUnit makes
 * them physical (inch or centimetre), in micrometres. `fallbackUnit` is the
 * unit for ResolutionUnit 'none' (ImageJ stores pixels per its own unit so).
 * One pixel per inch or centimetre is the placeholder many writers put there
 * (tifffile writes 1/1), not a measurement, and is ignored.
 */
export function resolutionSizes(page: TiffPage, fallbackUnit?: string): { x?: PhysicalSize; y?: PhysicalSize } {
  const micrometersPerUnit = page.resolutionUnit === ResolutionUnit.Inch ? 25400 : page.resolutionUnit === ResolutionUnit.Centimeter ? 10000 : undefined;
  const size = (res: number | undefined): PhysicalSize | undefined => {
    if (!res) return undefined;
    if (micrometersPerUnit) return res === 1 ? undefined : { value: micrometersPerUnit / res, unit: 'micrometer' };
    const unit = normalizeUnit(fallbackUnit);
    return unit ? { value: 1 / res, unit } : undefined;
  };
  return { x: size(page.xResolution), y: size(page.yResolution) };
}
