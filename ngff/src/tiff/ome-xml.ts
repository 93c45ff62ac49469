/**
 * OME-XML (the ImageDescription of an OME-TIFF's first page): per Image the
 * dimension sizes and order, physical sizes, channels and the TiffData
 * elements that map planes to IFDs.
 */
import { XMLParser } from 'fast-xml-parser';
import { normalizeUnit } from './units.js';
import type { PhysicalSize } from './types.js';

export interface OmeTiffData {
  ifd?: number;
  firstZ: number;
  firstC: number;
  firstT: number;
  planeCount?: number;
  /** UUID/@FileName and UUID text, when the planes may live in another file. */
  fileName?: string;
  uuid?: string;
}

export interface OmeChannel {
  name?: string;
  /** 'RRGGBB' */
  color?: string;
  samplesPerPixel?: number;
}

export interface OmeImage {
  name?: string;
  /** e.g. 'XYZCT': first letter varies fastest. */
  dimensionOrder: string;
  sizes: { X: number; Y: number; Z: number; C: number; T: number };
  type?: string;
  physicalSizes: { x?: PhysicalSize; y?: PhysicalSize; z?: PhysicalSize; t?: PhysicalSize };
  channels: OmeChannel[];
  tiffData: OmeTiffData[];
}

export interface OmeMetadata {
  uuid?: string;
  images: OmeImage[];
}

/** True when an ImageDescription is OME-XML. */
export function isOmeXml(description: string | undefined): boolean {
  if (!description) return false;
  const tail = description.trimEnd();
  return tail.endsWith('OME>') && /<(\w+:)?OME[\s>]/.test(description);
}

type Node = Record<string, unknown>;

const arrays = new Set(['Image', 'Channel', 'TiffData']);

/** Parse OME-XML; throws (a plain Error) when it is not well-formed enough to use. */
export function parseOmeXml(xml: string): OmeMetadata {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    removeNSPrefix: true,
    parseAttributeValue: false,
    parseTagValue: false,
    isArray: (name) => arrays.has(name),
  });
  const doc = parser.parse(xml) as Node;
  const ome = doc.OME as Node | undefined;
  if (!ome || typeof ome !== 'object') throw new Error('no <OME> element');
  const images = ((ome.Image as Node[] | undefined) ?? []).map(parseImage);
  return { uuid: str(ome['@UUID']), images };
}

function parseImage(image: Node, index: number): OmeImage {
  const pixels = image.Pixels as Node | undefined;
  if (!pixels) throw new Error(`Image ${index} has no <Pixels>`);
  const size = (axis: string): number => {
    const v = Number(pixels[`@Size${axis}`] ?? 1);
    if (!Number.isInteger(v) || v < 1) throw new Error(`Image ${index} has an invalid Size${axis}`);
    return v;
  };
  const physical = (attr: string, defaultUnit: string): PhysicalSize | undefined => {
    const v = Number(pixels[`@${attr}`]);
    if (pixels[`@${attr}`] === undefined || !Number.isFinite(v) || v <= 0) return undefined;
    return { value: v, unit: normalizeUnit(str(pixels[`@${attr}Unit`]) ?? defaultUnit) };
  };
  const dimensionOrder = str(pixels['@DimensionOrder']) ?? 'XYZCT';
  if (!/^XY[ZCT]{3}$/.test(dimensionOrder) || new Set(dimensionOrder).size !== 5) {
    throw new Error(`Image ${index} has an invalid DimensionOrder '${dimensionOrder}'`);
  }
  return {
    name: str(image['@Name']),
    dimensionOrder,
    sizes: { X: size('X'), Y: size('Y'), Z: size('Z'), C: size('C'), T: size('T') },
    type: str(pixels['@Type']),
    physicalSizes: {
      x: physical('PhysicalSizeX', 'µm'),
      y: physical('PhysicalSizeY', 'µm'),
      z: physical('PhysicalSizeZ', 'µm'),
      t: physical('TimeIncrement', 's'),
    },
    channels: ((pixels.Channel as Node[] | undefined) ?? []).map((c) => ({
      name: str(c['@Name']),
      color: color(c['@Color']),
      samplesPerPixel: int(c['@SamplesPerPixel']),
    })),
    tiffData: ((pixels.TiffData as Node[] | undefined) ?? []).map((t) => {
      const uuid = t.UUID as Node | string | undefined;
      return {
        ifd: int(t['@IFD']),
        firstZ: int(t['@FirstZ']) ?? 0,
        firstC: int(t['@FirstC']) ?? 0,
        firstT: int(t['@FirstT']) ?? 0,
        planeCount: int(t['@PlaneCount']),
        fileName: typeof uuid === 'object' ? str(uuid['@FileName']) : undefined,
        uuid: typeof uuid === 'object' ? str(uuid['#text']) : str(uuid),
      };
    }),
  };
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function int(v: unknown): number | undefined {
  const n = Number(v);
  return typeof v === 'string' && v !== '' && Number.isInteger(n) && n >= 0 ? n : undefined;
}

/** OME colours are signed 32-bit RGBA integers. */
function color(v: unknown): string | undefined {
  const n = Number(v);
  if (typeof v !== 'string' || !Number.isInteger(n)) return undefined;
  return ((n >>> 8) & 0xffffff).toString(16).padStart(6, '0').toUpperCase();
}
