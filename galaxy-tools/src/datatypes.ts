/**
 * Which Galaxy datatypes carry each of fairio's data formats, and the file
 * name extension a dataset of that datatype gets when a job stages it for
 * fairio (Galaxy names every dataset `dataset_….dat`; fairio tells formats
 * apart by extension). Only datatypes that Galaxy ships are used, so the
 * suite installs without a custom `datatypes_conf.xml`.
 */
import type { DataFormat } from '@fairio/model-runner/nodes';

export interface GalaxyFormat {
  /** Datatypes a tool input of this format accepts (first = what it is called in the form). */
  accepts: string[];
  /** Datatype of a tool output of this format. */
  produces: string;
}

/**
 * `ome_zarr` is Galaxy's OME-Zarr directory datatype (`galaxy.datatypes.images:OMEZarr`, the
 * store in the dataset's extra files); `ome_zarr.zip` (a zipped store) is accepted as it is,
 * because fairio reads zipped stores directly. The trained pixel classifier is a JSON document
 * (`.fairio-rf`, `format`/`version` 1), so it travels as `json`: a datatype of its own would need
 * every Galaxy admin to edit `datatypes_conf.xml`, and tool-local datatypes are discouraged.
 */
export const GALAXY_FORMATS: Record<DataFormat, GalaxyFormat> = {
  'ome-zarr': { accepts: ['ome_zarr', 'ome_zarr.zip'], produces: 'ome_zarr' },
  tiff: { accepts: ['tiff', 'ome.tiff'], produces: 'tiff' },
  'bioimageio-model': { accepts: ['zip'], produces: 'zip' },
  'fairio-classifier': { accepts: ['json'], produces: 'json' },
  'ilastik-project': { accepts: ['h5'], produces: 'h5' },
  'imagej-macro': { accepts: ['txt'], produces: 'txt' },
  csv: { accepts: ['csv'], produces: 'csv' },
  json: { accepts: ['json'], produces: 'json' },
  png: { accepts: ['png'], produces: 'png' },
};

/** Galaxy datatypes a data input with these formats accepts, without repeats, in order. */
export function acceptedDatatypes(formats: DataFormat[]): string[] {
  return [...new Set(formats.flatMap((f) => GALAXY_FORMATS[f].accepts))];
}

/**
 * The extension a staged input gets, from its Galaxy datatype and the formats the fairio input
 * takes (a `json` dataset given to a classifier input is a `.fairio-rf`, an `h5` an `.ilp`).
 */
export function stagingExtension(datatype: string, formats: DataFormat[]): string {
  switch (datatype) {
    case 'ome_zarr':
      return '.ome.zarr';
    case 'ome_zarr.zip':
      return '.ome.zarr.zip';
    case 'ome.tiff':
      return '.ome.tiff';
    case 'tiff':
      return '.tiff';
    case 'json':
      return formats.includes('fairio-classifier') ? '.fairio-rf' : '.json';
    case 'h5':
      return '.ilp';
    case 'txt':
      return formats.includes('imagej-macro') ? '.ijm' : '.txt';
    case 'zip':
      return '.zip';
    case 'csv':
      return '.csv';
    case 'png':
      return '.png';
    default:
      return `.${datatype.replace(/[^A-Za-z0-9.]/g, '_')}`;
  }
}

/** The file name extension fairio writes an output of this format with. */
export function outputExtension(format: DataFormat): string {
  switch (format) {
    case 'ome-zarr':
      return '.ome.zarr';
    case 'tiff':
      return '.ome.tiff';
    case 'fairio-classifier':
      return '.fairio-rf';
    case 'bioimageio-model':
      return '.zip';
    case 'ilastik-project':
      return '.ilp';
    case 'imagej-macro':
      return '.ijm';
    default:
      return `.${format}`;
  }
}
