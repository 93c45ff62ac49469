/**
 * What the `imagej-macro` node (`fairio macro run`) is, as data: the
 * description every front door is derived from, apart from the code that
 * runs ImageJ (node.ts, loaded on the node's first run).
 */
import type { NodeDescription } from '../node.js';

export const imagejMacroDescription: NodeDescription = {
  id: 'imagej-macro',
  command: ['macro', 'run'],
  name: 'ImageJ macro',
  version: '0.1.0',
  summary: 'Run an ImageJ/Fiji macro (.ijm) on images with a real ImageJ, headless, and keep what it saves as OME-Zarr and CSV',
  help: [
    'Runs a macro recorded in Fiji (or written by hand) on each image in turn, in one ImageJ started under a virtual display. ' +
      'Each image is open as the current image when the macro starts; getArgument() holds "input=<path> output=<dir>" followed by the macro arguments, ' +
      'and Fiji script parameters (#@ Double sigma) are filled from the same arguments. Each macro argument is one key=value (--arg key=value on the command line, one per line in a form); ' +
      'the value is everything after the first "=", passed to ImageJ verbatim (spaces, quotes, $ and all; no shell is involved). When the macro ends, every image it created or changed ' +
      'and the Results table (results.csv) are saved unless it saved them itself.',
    'Each image gets a subfolder of the output folder: its images as OME-Zarr with calibration, its tables as CSV, its part of the ImageJ log as log.txt, ' +
      'and its own Process Run Crate (ro-crate-metadata.json: that image with its sha256, the macro text and its sha256, the arguments, ImageJ and Java versions, start and end). ' +
      "A macro error (which in ImageJ opens a dialog) or a run past the time limit stops ImageJ and fails with ImageJ's message; the output folder then does not appear. " +
      'A macro is a program (it can run commands with exec): run only macros you trust.',
    'Example: fairio macro run count.ijm --input cells.ome.zarr --input more.tif --outdir counted --arg sigma=2 --arg "title=cell A"',
  ].join('\n\n'),
  inputs: [
    { name: 'macro', label: 'Macro', help: 'The ImageJ macro (.ijm), e.g. as Fiji\'s recorder wrote it.', formats: ['imagej-macro'], positional: true },
    { name: 'images', label: 'Images', help: 'Images to run the macro on, each in turn: TIFF, OME-TIFF or OME-Zarr.', formats: ['tiff', 'ome-zarr'], multiple: true, option: 'input' },
  ],
  parameters: [
    {
      name: 'args',
      option: 'arg',
      type: 'text',
      lines: true,
      label: 'Macro arguments',
      help: 'key=value for the macro; the value is everything after the first "=", verbatim (no quoting needed)',
      optional: true,
    },
    { name: 'timeout', type: 'integer', label: 'Time limit per image (s)', help: 'ImageJ is stopped when one image takes longer (start-up included for the first)', default: 600, min: 1, max: 86_400 },
    { name: 'imagej', type: 'text', label: 'ImageJ', help: 'An ij.jar or an ImageJ/Fiji folder (default: FIJI_HOME, then the system ImageJ)', optional: true },
    { name: 'memory', type: 'text', label: 'Java memory', help: 'Maximum Java heap, e.g. 4g (java -Xmx)', optional: true, pattern: '[0-9]+[kKmMgG]?' },
    { name: 'level', type: 'integer', label: 'OME-Zarr level', help: 'Pyramid level of OME-Zarr inputs given to the macro (0 = full resolution)', default: 0, min: 0 },
    { name: 'region', type: 'text', label: 'OME-Zarr region', help: 'Part of OME-Zarr inputs, per axis an index or start:stop, e.g. "z=10 y=0:512 x=0:512"', optional: true, pattern: '\\s*([A-Za-z]\\w*=\\d+(:\\d+)?[\\s,;]*)*' },
  ],
  outputs: [
    {
      name: 'output',
      label: 'Output folder',
      help: 'Folder to create: per image a subfolder with the images the macro saved (OME-Zarr), results.csv, other tables, log.txt and its Process Run Crate',
      formats: ['ome-zarr', 'csv'],
      short: 'o',
      option: 'outdir',
    },
  ],
  citations: [
    { doi: '10.1038/nmeth.2089', text: 'Schneider CA, Rasband WS, Eliceiri KW. NIH Image to ImageJ: 25 years of image analysis. Nature Methods 9, 671–675 (2012)' },
    { doi: '10.1038/nmeth.2019', text: 'Schindelin J et al. Fiji: an open-source platform for biological-image analysis. Nature Methods 9, 676–682 (2012)' },
  ],
  edam: { operations: ['operation_3443'], topics: ['topic_3383'] },
};
