/**
 * The public shapes of the TIFF reader and writer: what a caller (the
 * TIFF → OME-Zarr converter, benchmarks, tests) sees of a TIFF file.
 */

/** Pixel types, named as zarrita names its dtypes. */
export type TiffDataType = 'uint8' | 'int8' | 'uint16' | 'int16' | 'uint32' | 'int32' | 'float32' | 'float64';

/** The typed arrays that hold pixels (shared with the Zarr writer). */
import type { TypedArray } from '../zarr/types.js';
export type { TypedArray };

/** How the series was recognised, in the order they are tried (as tifffile does). */
export type TiffSeriesKind = 'ome' | 'imagej' | 'shaped' | 'generic';

export interface PhysicalSize {
  value: number;
  /** NGFF / UDUNITS-2 name ('micrometer', 'second', ...) when recognised, else as written in the file. */
  unit?: string;
}

export interface TiffSeries {
  /**
   * Axis names in storage order, always ending in 'y', 'x'. Leading axes are
   * among 't', 'c', 'z' (other names only for exotic tifffile axes). When the
   * TIFF stores several samples per pixel, their axis ('c' unless another name
   * is recorded) comes right before 'y'; see `samplesInterleaved`.
   */
  axes: string[];
  shape: number[];
  dtype: TiffDataType;
  /** Physical pixel size per axis where known (only for axes in `axes`). */
  physicalSizes: Partial<Record<string, PhysicalSize>>;
  /** One name per entry of the 'c' axis, when the file names them. */
  channelNames?: string[];
  /** One colour ('RRGGBB' hex) per entry of the 'c' axis, when the file gives them (OME Channel@Color, ImageJ LUTs). */
  channelColors?: string[];
  name?: string;
  kind: TiffSeriesKind;
  /**
   * True when the axis before 'y' holds samples stored interleaved in each
   * pixel (chunky RGB): `readWindow` then returns every sample of each pixel,
   * row-major as (y, x, sample), and that axis does not count in `planeCount`.
   */
  samplesInterleaved: boolean;
  /** Values per pixel that `readWindow` returns: the interleaved sample count, else 1. */
  samplesPerPixel: number;
  /**
   * Number of 2D planes `readWindow` can address: the product of the sizes of
   * all axes except 'y', 'x' and an interleaved sample axis. Plane index order
   * is C-order over those leading axes.
   */
  planeCount: number;
  /**
   * Read rows [y0, y1) and columns [x0, x1) of one plane into a new typed
   * array of length (y1-y0)*(x1-x0)*samplesPerPixel, row-major. Only the
   * strips or tiles that intersect the window are read and decoded.
   * `into`, when given, is overwritten and returned instead of a new array
   * (it must be of the series' data type and exactly that length).
   */
  readWindow(plane: number, y0: number, y1: number, x0: number, x1: number, into?: TypedArray): Promise<TypedArray>;
  /** Preferred read block [rows, columns]: the tile size, or rows-per-strip × width. */
  tileShape: [number, number];
}

export interface TiffFile {
  path: string;
  series: TiffSeries[];
  /** The OME-XML of an OME-TIFF, verbatim. */
  omeXml?: string;
  /** key=value pairs of an ImageJ (or SCIFIO) image description. */
  imagejMetadata?: Record<string, string>;
  /** Number of pages (IFDs) in the main chain; SubIFDs are not counted. */
  pageCount: number;
  close(): Promise<void>;
}

export interface WriteTiffOptions {
  width: number;
  height: number;
  dtype: TiffDataType;
  planeCount: number;
  /** Values per pixel, stored interleaved (3 → RGB photometric). Default 1. */
  samplesPerPixel?: number;
  /** Force BigTIFF; chosen automatically when the file could exceed 4 GiB. */
  bigTiff?: boolean;
  /** Write tiles of [rows, columns] (multiples of 16) instead of strips. */
  tile?: [number, number];
  /** Rows per strip when writing strips (default: about 256 KiB per strip). */
  rowsPerStrip?: number;
  /** ImageDescription of the first page, e.g. OME-XML or an ImageJ header. */
  description?: string;
  compression?: 'none' | 'deflate';
  /** zlib level for deflate, 1 (fast) … 9 (small); default 6. */
  deflateLevel?: number;
  /**
   * XResolution / YResolution (pixels per unit) and ResolutionUnit of every
   * page. ImageJ keeps its calibration so: pixels per the `unit=` of its
   * description, with unit 'none'.
   */
  resolution?: { x: number; y: number; unit?: 'none' | 'inch' | 'centimeter' };
}
