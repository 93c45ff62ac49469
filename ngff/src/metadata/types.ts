/**
 * The typed model of OME-NGFF metadata that the rest of fairio works with,
 * independent of the version (0.4 / 0.5 / 0.6rc0) and Zarr format it came from.
 */

export type NgffVersion = '0.4' | '0.5' | '0.6';

export type AxisType = 'space' | 'time' | 'channel' | (string & {});

export interface Axis {
  name: string;
  type?: AxisType;
  unit?: string;
}

export interface ScaleTransformation {
  type: 'scale';
  scale: number[];
}

export interface TranslationTransformation {
  type: 'translation';
  translation: number[];
}

export type CoordinateTransformation =
  | ScaleTransformation
  | TranslationTransformation
  | { type: 'identity' };

export interface Dataset {
  /** Path of the array relative to the multiscales group. */
  path: string;
  coordinateTransformations: CoordinateTransformation[];
}

export interface Multiscale {
  name?: string;
  axes: Axis[];
  /** Highest resolution first. */
  datasets: Dataset[];
  coordinateTransformations?: CoordinateTransformation[];
  type?: string;
  metadata?: Record<string, unknown>;
}

export interface OmeroWindow {
  start: number;
  end: number;
  min: number;
  max: number;
}

export interface OmeroChannel {
  label?: string;
  /** Hex RGB without '#', e.g. "FF00FF". */
  color?: string;
  window?: OmeroWindow;
  active?: boolean;
  inverted?: boolean;
  coefficient?: number;
  family?: string;
}

export interface Omero {
  name?: string;
  channels: OmeroChannel[];
  rdefs?: { defaultT?: number; defaultZ?: number; model?: 'color' | 'greyscale' };
}

export interface LabelColor {
  'label-value': number;
  /** RGBA, 0..255 each. */
  rgba?: [number, number, number, number];
}

export interface LabelProperty {
  'label-value': number;
  [key: string]: unknown;
}

export interface ImageLabel {
  colors?: LabelColor[];
  properties?: LabelProperty[];
  source?: { image?: string };
}

export interface PlateAcquisition {
  id: number;
  name?: string;
  maximumfieldcount?: number;
  description?: string;
  starttime?: number;
  endtime?: number;
}

export interface Plate {
  name?: string;
  rows: { name: string }[];
  columns: { name: string }[];
  wells: { path: string; rowIndex: number; columnIndex: number }[];
  acquisitions?: PlateAcquisition[];
  field_count?: number;
}

export interface Well {
  images: { path: string; acquisition?: number }[];
}

/** What one OME-Zarr group is, once its attributes are parsed. */
export interface NgffGroupMetadata {
  version: NgffVersion;
  multiscales?: Multiscale[];
  omero?: Omero;
  /** Present on an image that is itself a label image. */
  imageLabel?: ImageLabel;
  /** Present on the `labels/` group: names of the label images. */
  labels?: string[];
  plate?: Plate;
  well?: Well;
  /** bioformats2raw.layout version when the group is a bioformats2raw container. */
  bioformats2rawLayout?: number;
  /** Series paths, from `OME/.zattrs` `series` where present. */
  series?: string[];
}
