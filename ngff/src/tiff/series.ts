/**
 * From pages to series: decides which pages form which multi-dimensional
 * image and what the axes are called, trying (as tifffile does) OME-XML,
 * then an ImageJ hyperstack, then tifffile's own JSON "shaped" description,
 * then plain grouping of pages of equal shape and type.
 */
import * as path from 'node:path';
import { InvalidTiffError } from '../errors.js';
import { type TiffHeader, type TiffPage, dtypeBytes, readChunkTable, tagBytes, tagNumbers } from './ifd.js';
import { imagejInt, imagejNumber, lutColors, parseImageJDescription } from './imagej.js';
import { type OmeImage, type OmeMetadata, isOmeXml, parseOmeXml } from './ome-xml.js';
import type { FileSource } from './source.js';
import { Compression, Tag } from './tags.js';
import type { PhysicalSize, TiffSeriesKind } from './types.js';
import { normalizeUnit, resolutionSizes } from './units.js';

/** What a series is made of, before it gets a reader. */
export interface SeriesPlan {
  kind: TiffSeriesKind;
  /** Axes over pages (outermost first) and their sizes; pages are in C-order over them. */
  pageAxes: string[];
  pageShape: number[];
  /** Page index per position; -1 for planes stored outside this file. */
  pages: Int32Array;
  /** The page that defines width, height, type and samples for all. */
  keyPage: TiffPage;
  /** Name of the samples axis when pages hold more than one sample per pixel. */
  sampleAxis?: string;
  name?: string;
  physicalSizes: Partial<Record<string, PhysicalSize>>;
  channelNames?: string[];
  channelColors?: string[];
  /**
   * ImageJ stacks over 4 GiB have one IFD; all planes then lie back to back
   * from `offset`, and `pages` holds plane numbers rather than page indices.
   */
  contiguous?: { offset: number; planeBytes: number };
}

export interface SeriesResult {
  plans: SeriesPlan[];
  omeXml?: string;
  imagejMetadata?: Record<string, string>;
}

export async function planSeries(source: FileSource, header: TiffHeader, pages: TiffPage[]): Promise<SeriesResult> {
  const first = pages[0];
  if (isOmeXml(first.description)) {
    const omeXml = first.description!;
    let ome: OmeMetadata | undefined;
    try {
      ome = parseOmeXml(omeXml);
    } catch {
      ome = undefined; // unusable OME-XML: read the pages as a plain TIFF, as tifffile does
    }
    const plans = ome ? omePlans(ome, pages, source.path) : undefined;
    if (plans && plans.length > 0) return { plans, omeXml };
    return { plans: shapedOrGenericPlans(pages), omeXml };
  }
  const imagejMetadata = parseImageJDescription(first.description);
  if (imagejMetadata) {
    return { plans: [await imagejPlan(source, header, pages, imagejMetadata)], imagejMetadata };
  }
  return { plans: shapedOrGenericPlans(pages) };
}

const product = (xs: number[]): number => xs.reduce((a, b) => a * b, 1);

/** More planes than any real single image has; metadata claiming so is refused before allocating. */
const MAX_PLANES = 2 ** 24;

/** Drop size-1 axes, as tifffile does for OME and ImageJ series. */
function squeeze(axes: string[], shape: number[]): { axes: string[]; shape: number[] } {
  const keep = shape.map((s) => s !== 1);
  return { axes: axes.filter((_, i) => keep[i]), shape: shape.filter((_, i) => keep[i]) };
}

function xySizes(page: TiffPage, unit?: string): Partial<Record<string, PhysicalSize>> {
  const { x, y } = resolutionSizes(page, unit);
  const out: Partial<Record<string, PhysicalSize>> = {};
  if (y) out.y = y;
  if (x) out.x = x;
  return out;
}

// ---------------------------------------------------------------- OME-TIFF

function omePlans(ome: OmeMetadata, pages: TiffPage[], filePath: string): SeriesPlan[] {
  const plans: SeriesPlan[] = [];
  let nextIfd = 0; // Images without TiffData take the following IFDs
  for (const image of ome.images) {
    const plan = omePlan(ome, image, pages, filePath, nextIfd);
    if (plan) {
      plans.push(plan);
      for (const p of plan.pages) nextIfd = Math.max(nextIfd, p + 1);
    }
  }
  return plans;
}

function omePlan(ome: OmeMetadata, image: OmeImage, pages: TiffPage[], filePath: string, nextIfd: number): SeriesPlan | undefined {
  const fileName = path.basename(filePath);
  const firstIfd = image.tiffData.length > 0 ? (image.tiffData[0].ifd ?? 0) : nextIfd;
  const probe = pages[firstIfd];
  if (!probe) return undefined;
  const spp = image.channels[0]?.samplesPerPixel ?? probe.samplesPerPixel;
  const cPlanes = spp > 1 && image.sizes.C % spp === 0 ? image.sizes.C / spp : image.sizes.C;
  const sizes: Record<string, number> = { Z: image.sizes.Z, C: cPlanes, T: image.sizes.T };
  const order = image.dimensionOrder.slice(2); // fastest first
  const total = sizes.Z * sizes.C * sizes.T;
  if (total > MAX_PLANES && total > pages.length) {
    throw new InvalidTiffError(`its OME-XML declares ${total} planes (SizeZ × SizeC × SizeT) for image '${image.name ?? ''}', far more than the file holds; the metadata is corrupt`, { path: filePath });
  }
  const planeOf = (z: number, c: number, t: number): number => {
    const at: Record<string, number> = { Z: z, C: c, T: t };
    return at[order[0]] + sizes[order[0]] * (at[order[1]] + sizes[order[1]] * at[order[2]]);
  };
  const map = new Int32Array(total).fill(-1);
  if (image.tiffData.length === 0) {
    for (let p = 0; p < total && nextIfd + p < pages.length; p++) map[p] = nextIfd + p;
  }
  for (const td of image.tiffData) {
    const local = !td.fileName && !td.uuid ? true : (td.fileName !== undefined && path.basename(td.fileName) === fileName) || (td.uuid !== undefined && td.uuid === ome.uuid);
    if (!local) continue;
    const ifd = td.ifd ?? 0;
    const count = td.planeCount ?? (td.ifd === undefined ? pages.length : 1);
    const start = planeOf(td.firstZ, td.firstC, td.firstT);
    for (let k = 0; k < count && start + k < total && ifd + k < pages.length; k++) map[start + k] = ifd + k;
  }
  const firstMapped = map.find((p) => p >= 0);
  if (firstMapped === undefined) return undefined;
  const keyPage = pages[firstMapped];
  if (keyPage.width !== image.sizes.X || keyPage.height !== image.sizes.Y) return undefined;

  // Storage order is the reverse of DimensionOrder (its first letter varies fastest).
  const storage = [order[2], order[1], order[0]];
  const { axes, shape } = squeeze(storage.map((a) => a.toLowerCase()), storage.map((a) => sizes[a]));
  const sampleAxis = keyPage.samplesPerPixel > 1 ? (axes.includes('c') ? 's' : 'c') : undefined;
  const allAxes = sampleAxis ? [...axes, sampleAxis] : axes;
  const physicalSizes: Partial<Record<string, PhysicalSize>> = {};
  for (const a of ['t', 'z', 'y', 'x'] as const) {
    const v = image.physicalSizes[a];
    if (v && (a === 'x' || a === 'y' || allAxes.includes(a))) physicalSizes[a] = v;
  }
  const cSize = allAxes.includes('c') ? (sampleAxis === 'c' ? keyPage.samplesPerPixel : cPlanes) : 1;
  const perChannel = (values: (string | undefined)[]): string[] | undefined =>
    values.length === cSize && values.some((v) => v !== undefined) ? values.map((v, i) => v ?? `Channel ${i}`) : undefined;
  return {
    kind: 'ome',
    pageAxes: axes,
    pageShape: shape,
    pages: map,
    keyPage,
    sampleAxis,
    name: image.name,
    physicalSizes,
    channelNames: perChannel(image.channels.map((c) => c.name)),
    channelColors: perChannel(image.channels.map((c) => c.color)),
  };
}

// ------------------------------------------------------------------ ImageJ

async function imagejPlan(source: FileSource, header: TiffHeader, pages: TiffPage[], meta: Record<string, string>): Promise<SeriesPlan> {
  const keyPage = pages[0];
  let images = imagejInt(meta, 'images') ?? pages.length;
  let channels = imagejInt(meta, 'channels') ?? 1;
  let slices = imagejInt(meta, 'slices') ?? 1;
  let frames = imagejInt(meta, 'frames') ?? 1;
  if (channels * slices * frames !== images) {
    // Not a consistent hyperstack: a plain stack of `images` planes.
    [channels, slices, frames] = [1, images, 1];
  }
  let contiguous: SeriesPlan['contiguous'];
  if (pages.length < images) {
    contiguous = await contiguousData(source, header, keyPage);
    if (!contiguous) [images, channels, slices, frames] = [pages.length, 1, pages.length, 1];
    else if (contiguous.offset + images * contiguous.planeBytes > source.size) {
      throw new InvalidTiffError(`its ImageJ header declares ${images} images, which need ${contiguous.offset + images * contiguous.planeBytes} bytes, but the file has ${source.size}; the file is truncated or the header is wrong`, { path: source.path });
    }
  }
  const map = Int32Array.from({ length: images }, (_, i) => i);
  const { axes, shape } = squeeze(['t', 'z', 'c'], [frames, slices, channels]);
  const sampleAxis = keyPage.samplesPerPixel > 1 ? (axes.includes('c') ? 's' : 'c') : undefined;

  const unit = meta.unit;
  const physicalSizes = xySizes(keyPage, unit);
  const spacing = imagejNumber(meta, 'spacing');
  if (spacing && axes.includes('z')) physicalSizes.z = { value: spacing, unit: normalizeUnit(unit) };
  const interval = imagejNumber(meta, 'finterval');
  if (interval && axes.includes('t')) physicalSizes.t = { value: interval, unit: normalizeUnit(meta.tunit ?? 'sec') };
  if (meta.scales && meta.axes) scifioSizes(meta, axes, physicalSizes); // SCIFIO's own numbers are exact

  let channelColors: string[] | undefined;
  const counts = await tagNumbers(source, header, keyPage, Tag.IJMetadataByteCounts, 'page 0 IJMetadataByteCounts');
  const data = counts ? await tagBytes(source, keyPage, Tag.IJMetadata, 'page 0 IJMetadata') : undefined;
  if (counts && data) {
    const colors = lutColors(data, counts);
    if (colors && colors.length === channels) channelColors = colors;
  }
  return { kind: 'imagej', pageAxes: axes, pageShape: shape, pages: map, keyPage, sampleAxis, physicalSizes, channelColors, contiguous };
}

/** SCIFIO writes per-axis `scales` and `units`: more precise than the rational resolution tags. */
function scifioSizes(meta: Record<string, string>, axes: string[], sizes: Partial<Record<string, PhysicalSize>>): void {
  const names = meta.axes.split(',').map((a) => a.trim().toLowerCase());
  const scales = meta.scales.split(',').map(Number);
  const units = (meta.units ?? '').split(',');
  names.forEach((axis, i) => {
    if (!(axis === 'x' || axis === 'y' || axes.includes(axis))) return;
    if (Number.isFinite(scales[i]) && scales[i] > 0) sizes[axis] = { value: scales[i], unit: normalizeUnit(units[i]) };
  });
}

/** Where the planes of a one-IFD ImageJ stack continue, when its data is uncompressed and contiguous. */
async function contiguousData(source: FileSource, header: TiffHeader, page: TiffPage): Promise<SeriesPlan['contiguous']> {
  if (page.compression !== Compression.None || page.tiled || !page.dtype) return undefined;
  const table = await readChunkTable(source, header, page);
  if (!table.byteCounts) return undefined;
  let end = table.offsets[0];
  for (let i = 0; i < table.offsets.length; i++) {
    if (table.offsets[i] !== end) return undefined;
    end += table.byteCounts[i];
  }
  const planeBytes = page.width * page.height * page.samplesPerPixel * dtypeBytes(page.dtype);
  return end - table.offsets[0] === planeBytes ? { offset: table.offsets[0], planeBytes } : undefined;
}

// ------------------------------------------------- tifffile shaped, generic

/** tifffile's letters → fairio axis names; undefined for "unknown" (Q) and "sequence" (I). */
function letterAxis(letter: string | undefined): string | undefined {
  if (!letter || letter === 'Q' || letter === 'I') return undefined;
  return letter === 'S' ? 's' : letter.toLowerCase();
}

function pageShapeOf(page: TiffPage): number[] {
  if (page.samplesPerPixel === 1) return [page.height, page.width];
  return page.planarConfig === 2 ? [page.samplesPerPixel, page.height, page.width] : [page.height, page.width, page.samplesPerPixel];
}

function shapedDescription(page: TiffPage): { shape: number[]; axes?: string } | undefined {
  const d = page.description;
  if (!d || !d.startsWith('{') || !d.includes('"shape"')) return undefined;
  try {
    const json = JSON.parse(d) as { shape?: unknown; axes?: unknown };
    if (!Array.isArray(json.shape) || !json.shape.every((n) => Number.isInteger(n) && n >= 0)) return undefined;
    return { shape: json.shape as number[], axes: typeof json.axes === 'string' ? json.axes : undefined };
  } catch {
    return undefined;
  }
}

function shapedOrGenericPlans(pages: TiffPage[]): SeriesPlan[] {
  const plans: SeriesPlan[] = [];
  const rest: TiffPage[] = [];
  for (let i = 0; i < pages.length; ) {
    const plan = shapedPlan(pages, i);
    if (plan) {
      plans.push(plan);
      i += plan.pages.length;
    } else {
      rest.push(pages[i++]);
    }
  }
  return plans.concat(genericPlans(rest));
}

function shapedPlan(pages: TiffPage[], start: number): SeriesPlan | undefined {
  const keyPage = pages[start];
  const desc = shapedDescription(keyPage);
  if (!desc) return undefined;
  const pageShape = pageShapeOf(keyPage);
  const lead = desc.shape.length - pageShape.length;
  if (lead < 0 || pageShape.some((s, i) => desc.shape[lead + i] !== s)) return undefined;
  const leadShape = desc.shape.slice(0, lead);
  const count = product(leadShape);
  if (count < 1 || start + count > pages.length) return undefined;
  for (let i = start + 1; i < start + count; i++) {
    const p = pages[i];
    if (shapedDescription(p) || p.width !== keyPage.width || p.height !== keyPage.height || p.dtype !== keyPage.dtype) return undefined;
  }
  const letters = desc.axes && desc.axes.length === desc.shape.length ? desc.axes.toUpperCase() : undefined;
  let sampleAxis: string | undefined;
  if (keyPage.samplesPerPixel > 1) {
    sampleAxis = letterAxis(letters?.[keyPage.planarConfig === 2 ? lead : desc.shape.length - 1]) ?? 's';
  }
  const named = leadShape.map((_, i) => letterAxis(letters?.[i]));
  if (sampleAxis === 's' && !named.includes('c')) sampleAxis = 'c';
  // Unknown axes of size 1 carry nothing; the others get free names, 'z' first.
  const keep = leadShape.map((s, i) => named[i] !== undefined || s !== 1);
  const axes = nameAxes(named.filter((_, i) => keep[i]), sampleAxis);
  const pagesIdx = Int32Array.from({ length: count }, (_, i) => start + i);
  return {
    kind: 'shaped',
    pageAxes: axes,
    pageShape: leadShape.filter((_, i) => keep[i]),
    pages: pagesIdx,
    keyPage,
    sampleAxis,
    physicalSizes: xySizes(keyPage),
  };
}

/** Fill in names for unknown axes (innermost first: z, t, c, then letters), avoiding names in use. */
function nameAxes(named: (string | undefined)[], sampleAxis?: string): string[] {
  const used = new Set(named.filter((n): n is string => n !== undefined));
  if (sampleAxis) used.add(sampleAxis);
  const free = ['z', 't', 'c', ...'qrabdefghijklmnopuvw'].filter((n) => !used.has(n));
  const out = [...named];
  for (let i = out.length - 1; i >= 0; i--) if (out[i] === undefined) out[i] = free.shift()!;
  return out as string[];
}

function genericPlans(pages: TiffPage[]): SeriesPlan[] {
  const groups = new Map<string, TiffPage[]>();
  for (const p of pages) {
    const key = `${p.width}x${p.height}x${p.samplesPerPixel}/${p.planarConfig}/${p.dtype ?? p.bitsPerSample}`;
    const group = groups.get(key);
    if (group) group.push(p);
    else groups.set(key, [p]);
  }
  return Array.from(groups.values(), (group) => {
    const keyPage = group[0];
    const sampleAxis = keyPage.samplesPerPixel > 1 ? 'c' : undefined;
    return {
      kind: 'generic' as const,
      pageAxes: group.length > 1 ? ['z'] : [],
      pageShape: group.length > 1 ? [group.length] : [],
      pages: Int32Array.from(group, (p) => p.index),
      keyPage,
      sampleAxis,
      physicalSizes: xySizes(keyPage),
    };
  });
}
