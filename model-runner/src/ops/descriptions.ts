/**
 * What the threshold, label and measure nodes are, as data: the
 * descriptions the CLI, Galaxy tools and workflows are generated from,
 * apart from the code that does the work (loaded on a node's first run).
 */
import type { NodeDescription } from '../node.js';
import { OTSU_CITATION, SCIKIT_IMAGE_CITATION, UNION_FIND_CITATION } from './common.js';

export const thresholdDescription: NodeDescription = {
  id: 'threshold',
  command: ['threshold'],
  name: 'Threshold',
  version: '0.1.0',
  summary: 'Mask of the pixels above a threshold (Otsu or a given value), written as a label image',
  help: [
    'Makes a binary mask of one channel of an OME-Zarr image: pixels brighter than the threshold become 1 (foreground), all others 0.',
    "The threshold is found with Otsu's method, which splits the intensity histogram into two classes with the largest between-class variance, or given as a value.",
    "Otsu's threshold is the number scikit-image's threshold_otsu returns (one histogram bin per integer value for integer images, 256 bins over the image range for floating-point images); foreground is strictly above it, as in scikit-image's examples.",
    'The image is read chunk by chunk at full resolution, so any size works in bounded memory. The mask is an OME-Zarr label image (uint8, with a pyramid), which napari and other NGFF viewers show as a segmentation; it has the same axes as the image without c.',
    'Typical next step: label the mask into objects (fairio label), then measure them (fairio measure).',
    '',
    'Example:',
    '  fairio threshold nuclei.ome.zarr mask.ome.zarr --method otsu --channel 0',
    '  fairio threshold probabilities.ome.zarr mask.ome.zarr --method manual --value 0.5',
  ].join('\n'),
  inputs: [{ name: 'image', label: 'Image', help: 'OME-Zarr image to threshold (full resolution is used).', formats: ['ome-zarr'], positional: true }],
  parameters: [
    {
      name: 'method',
      type: 'choice',
      label: 'Method',
      help: "How the threshold is chosen: otsu (automatic, Otsu's method) or manual (the value parameter).",
      default: 'otsu',
      options: [
        { value: 'otsu', label: "Otsu's method" },
        { value: 'manual', label: 'Given value' },
      ],
    },
    { name: 'value', type: 'float', label: 'Threshold value', help: 'For method manual: pixels above this value are foreground.', optional: true },
    { name: 'channel', type: 'integer', label: 'Channel', help: 'Channel index (from 0) when the image has several channels; the mask then has no c axis.', optional: true, min: 0 },
  ],
  outputs: [{ name: 'mask', label: 'Mask', help: 'OME-Zarr label image (uint8): 1 above the threshold, 0 elsewhere.', formats: ['ome-zarr'], positional: true }],
  citations: [OTSU_CITATION, SCIKIT_IMAGE_CITATION],
  edam: { operations: ['operation_3443'], topics: ['topic_3383'] },
};

export const labelDescription: NodeDescription = {
  id: 'label',
  command: ['label'],
  name: 'Label objects',
  version: '0.1.0',
  summary: 'Connected components of a mask: one number per object, written as a label image',
  help: [
    'Turns a mask (any OME-Zarr image; nonzero pixels are foreground) into a label image in which every connected object has its own number 1, 2, 3, …',
    'Two foreground pixels belong to the same object when they are neighbours: connectivity 1 counts only pixels sharing a face, the default (the number of spatial axes) also diagonal ones.',
    'Objects are connected over the spatial axes (z, y, x); each time point and channel is labelled on its own, numbers continuing from one to the next.',
    'The numbering is that of scikit-image (skimage.measure.label): objects in raster order of their first pixel. The result is identical pixel for pixel.',
    'Works chunk by chunk, so the mask can be larger than memory: blocks are labelled one at a time, objects that cross block borders are joined by reading only the border layers, and a temporary Zarr beside the output holds the intermediate numbers.',
    'The output is an OME-Zarr label image (uint32, image-label metadata, pyramid by mode) that viewers show as a segmentation.',
    '',
    'Example:',
    '  fairio label mask.ome.zarr labels.ome.zarr',
    '  fairio label mask.ome.zarr labels.ome.zarr --connectivity 1',
  ].join('\n'),
  inputs: [{ name: 'mask', label: 'Mask', help: 'OME-Zarr image whose nonzero pixels are foreground (e.g. the output of fairio threshold).', formats: ['ome-zarr'], positional: true }],
  parameters: [
    {
      name: 'connectivity',
      type: 'integer',
      label: 'Connectivity',
      help: 'Largest number of orthogonal steps between neighbours: 1 (faces only) up to the number of spatial axes (default, diagonals too).',
      optional: true,
      min: 1,
      max: 3,
    },
  ],
  outputs: [{ name: 'labels', label: 'Label image', help: 'OME-Zarr label image (uint32): 0 background, 1..N one number per object.', formats: ['ome-zarr'], positional: true }],
  citations: [UNION_FIND_CITATION, SCIKIT_IMAGE_CITATION],
  edam: { operations: ['operation_3443'], topics: ['topic_3383'] },
};

export const measureDescription: NodeDescription = {
  id: 'measure',
  command: ['measure'],
  name: 'Measure objects',
  version: '0.1.0',
  summary: 'Table of object measurements (area, centroid, bounding box, intensities) from a label image',
  help: [
    'Measures every object of a label image (0 is background, every other number one object) and writes one CSV row per object, sorted by label.',
    'Columns follow scikit-image regionprops_table: label, area (pixels), centroid-0… (pixel coordinates in axis order), bbox-0… (first pixel of each axis, then one past the last), and with an intensity image intensity_mean, intensity_min, intensity_max.',
    'Physical columns are added from the image scale and axis units: the area (volume for 3-D images) in squared (cubed) units, e.g. area_micrometer^2, and the centroid along each axis, e.g. centroid_y_micrometer.',
    'The intensity image must cover the same pixels (same axes and shape apart from c); choose its channel with --channel when it has several.',
    'Reads both images chunk by chunk in one pass; memory grows with the number of objects, not the image size. A label image without objects gives a table with only the header.',
    '',
    'Example:',
    '  fairio measure labels.ome.zarr nuclei.csv --intensity cells.ome.zarr --channel 0',
  ].join('\n'),
  inputs: [
    { name: 'labels', label: 'Label image', help: 'OME-Zarr label image (e.g. the output of fairio label).', formats: ['ome-zarr'], positional: true },
    { name: 'intensity', label: 'Intensity image', help: 'OME-Zarr image over the same pixels, for the intensity columns.', formats: ['ome-zarr'], optional: true },
  ],
  parameters: [{ name: 'channel', type: 'integer', label: 'Channel', help: 'Channel index (from 0) of the intensity image when it has several.', optional: true, min: 0 }],
  outputs: [{ name: 'table', label: 'Measurements', help: 'CSV with one row per object.', formats: ['csv'], positional: true }],
  citations: [SCIKIT_IMAGE_CITATION],
  edam: { operations: ['operation_3443', 'operation_3799'], topics: ['topic_3383'] },
};

