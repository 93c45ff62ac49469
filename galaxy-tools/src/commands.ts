/**
 * fairio's command-line commands that are not analysis nodes — `convert`,
 * `info`, `validate`, `crate validate` — described in the node-description
 * shape, so that their Galaxy tools come out of the same generator. The
 * names, positions and defaults follow the commands in `cli/src/commands/`;
 * galaxy-tools' tests run these descriptions through the real CLI parser.
 * (Should they become nodes in model-runner, these descriptions move there.)
 */
import { COMPRESSOR_NAME_PATTERN } from '@fairio/ngff/basics';
import { FAIRIO, type NodeDescription } from '@fairio/model-runner/nodes';

const NGFF_CITATION = {
  doi: '10.1007/s00418-023-02209-1',
  text: 'Moore J. et al. (2023) OME-Zarr: a cloud-optimized bioimaging file format with international community support. Histochemistry and Cell Biology 160, 223–251.',
};
const RO_CRATE_CITATION = {
  doi: '10.3233/DS-210053',
  text: 'Soiland-Reyes S. et al. (2022) Packaging research artefacts with RO-Crate. Data Science 5(2), 97–138.',
};
const BIOIMAGING = 'topic_3383';

export const convertDescription: NodeDescription = {
  id: 'convert',
  command: ['convert'],
  name: 'Convert to OME-Zarr',
  version: FAIRIO.version,
  summary: 'Convert a TIFF, BigTIFF or OME-TIFF to OME-Zarr, chunk by chunk, with a multiscale pyramid',
  help: [
    'Converts one series of a TIFF, BigTIFF or OME-TIFF file into an OME-Zarr image (OME-NGFF 0.5 on Zarr v3 by default, or 0.4 on Zarr v2), streaming it chunk by chunk so that images larger than memory convert in bounded memory. Axes, physical pixel sizes and channel names are taken from the OME-XML or ImageJ metadata and can be replaced here.',
    'A pyramid of downsampled levels is written until the image fits in one chunk, and each channel gets a display window measured from its pixels. The image carries its FAIR description (licence, organism, imaging method) in an RO-Crate at its root.',
    '',
    'Example:',
    '  fairio convert cells.ome.tiff cells.ome.zarr --ngff 0.5 --compressor blosc-zstd',
  ].join('\n'),
  inputs: [{ name: 'input', label: 'TIFF image', help: 'TIFF, BigTIFF or OME-TIFF file.', formats: ['tiff'], positional: true }],
  parameters: [
    { name: 'ngff', type: 'choice', label: 'OME-NGFF version', help: 'Version of the written OME-Zarr.', default: '0.5', options: [{ value: '0.5', label: 'OME-NGFF 0.5 (Zarr v3)' }, { value: '0.4', label: 'OME-NGFF 0.4 (Zarr v2)' }] },
    { name: 'chunks', type: 'text', label: 'Chunk shape', help: 'Comma-separated chunk shape in the output axis order (t,c,z,y,x), e.g. 1,1,1,512,512; default 1 along t, c and z and up to 512 along y and x.', optional: true, pattern: '\\d+(,\\d+)*' },
    { name: 'levels', type: 'integer', label: 'Pyramid levels', help: 'Number of resolution levels (default: until the image fits in one chunk).', optional: true, min: 1, max: 32 },
    { name: 'compressor', type: 'text', label: 'Compressor', help: 'blosc-zstd, blosc-lz4, zstd, gzip or none, optionally with :LEVEL (e.g. zstd:5).', default: 'blosc-zstd', pattern: COMPRESSOR_NAME_PATTERN },
    { name: 'series', type: 'integer', label: 'Series', help: 'Series of a multi-series file (from 0).', default: 0, min: 0 },
    {
      name: 'dtype',
      type: 'choice',
      label: 'Pixel type',
      help: 'Pixel type on disk (default: as in the file); integers are rounded and clamped.',
      optional: true,
      options: ['uint8', 'int8', 'uint16', 'int16', 'uint32', 'int32', 'float32', 'float64'].map((t) => ({ value: t, label: t })),
    },
    { name: 'pixelSize', type: 'text', label: 'Physical pixel size', help: 'Replaces the file\'s pixel sizes, e.g. z=2,y=0.65,x=0.65.', optional: true, pattern: '[a-z]+=[0-9.eE+-]+(,[a-z]+=[0-9.eE+-]+)*' },
    { name: 'unit', type: 'text', label: 'Unit of the pixel sizes', help: 'UDUNITS name, e.g. micrometer or nanometer.', optional: true, pattern: '[a-z]+' },
    { name: 'channelNames', type: 'text', label: 'Channel names', help: 'Comma-separated channel names replacing the file\'s, e.g. DAPI,GFP.', optional: true },
    { name: 'channelColors', type: 'text', label: 'Channel colours', help: 'Comma-separated hex RGB colours, e.g. 0000FF,00FF00.', optional: true, pattern: '#?[0-9A-Fa-f]{6}(,#?[0-9A-Fa-f]{6})*' },
    { name: 'name', type: 'text', label: 'Image name', help: 'Name of the image in its metadata.', optional: true },
  ],
  outputs: [{ name: 'output', label: 'OME-Zarr image', help: 'The image as OME-Zarr, with its pyramid and its FAIR RO-Crate.', formats: ['ome-zarr'], positional: true }],
  citations: [NGFF_CITATION],
  edam: { operations: ['operation_3434'], topics: [BIOIMAGING] },
};

export const infoDescription: NodeDescription = {
  id: 'info',
  command: ['info'],
  name: 'OME-Zarr info',
  version: FAIRIO.version,
  summary: 'Describe an OME-Zarr: hierarchy, levels, shapes, pixel types, chunks, physical sizes, channels',
  help: [
    'Reads the metadata of an OME-Zarr (image, label images, plate or well; OME-NGFF 0.4, 0.5 or 0.6) and reports what it holds as a JSON document: the kind of hierarchy, the axes with their units, every pyramid level with its shape, pixel type, chunk shape and scale, the channels with their colours and windows, and the label images.',
    'Use it to check what a dataset is before choosing a channel or a tile size for the next step.',
    '',
    'Example:',
    '  fairio info cells.ome.zarr --json',
  ].join('\n'),
  inputs: [{ name: 'location', label: 'OME-Zarr', help: 'The OME-Zarr to describe.', formats: ['ome-zarr'], positional: true }],
  parameters: [],
  outputs: [{ name: 'report', label: 'Description', help: 'JSON document describing the hierarchy.', formats: ['json'] }],
  citations: [NGFF_CITATION],
  edam: { operations: ['operation_3443'], topics: [BIOIMAGING] },
};

export const validateDescription: NodeDescription = {
  id: 'validate',
  command: ['validate'],
  name: 'Validate OME-Zarr',
  version: FAIRIO.version,
  summary: 'Check an OME-Zarr against the official OME-NGFF schemas and semantic rules',
  help: [
    'Validates the metadata of every group and array of an OME-Zarr against the official OME-NGFF JSON schemas of its version (0.4, 0.5 or 0.6) and a list of named semantic checks (axes order and types, scale and translation per level, array shapes and pixel types, label values, plate and well structure).',
    'The report is a JSON document {"valid": true|false, "message": ..., "findings": [...]} in which every finding has a code, a severity and a message. An invalid image is a result, not a failure of the job: the job fails only when the input cannot be read at all.',
    '',
    'Example:',
    '  fairio validate cells.ome.zarr --strict --json',
  ].join('\n'),
  inputs: [{ name: 'target', label: 'OME-Zarr', help: 'The OME-Zarr to check.', formats: ['ome-zarr'], positional: true }],
  parameters: [{ name: 'strict', type: 'boolean', label: 'Strict', help: 'Apply the strict schemas and treat warnings (e.g. axes without units) as failures.', default: false }],
  outputs: [{ name: 'report', label: 'Validation report', help: 'JSON document: valid, message and findings.', formats: ['json'] }],
  citations: [NGFF_CITATION],
  edam: { operations: ['operation_0336'], topics: [BIOIMAGING] },
};

export const crateValidateDescription: NodeDescription = {
  id: 'crate_validate',
  command: ['crate', 'validate'],
  name: 'Validate an RO-Crate',
  version: FAIRIO.version,
  summary: 'Check an RO-Crate (.zip) against RO-Crate 1.1 and the Process, Workflow and Provenance Run Crate profiles',
  help: [
    'Checks a zipped RO-Crate — for example the crate that every fairio tool emits beside its outputs — against the REQUIRED rules (errors) and RECOMMENDED rules (warnings) of RO-Crate 1.1 and of the profiles the crate claims to conform to (Process Run Crate, Workflow Run Crate, Provenance Run Crate, Workflow RO-Crate), or the profile chosen here.',
    'The archive is read without unpacking anything unsafe: entries that would leave the crate, encrypted entries and zip bombs are refused. The report is a JSON document {"valid": ..., "profiles": [...], "findings": [...]}; an invalid crate is a result, not a failure of the job.',
    '',
    'Example:',
    '  fairio crate validate run.crate.zip --json',
  ].join('\n'),
  inputs: [{ name: 'archive', label: 'RO-Crate', help: 'A zipped RO-Crate (.zip).', formats: ['json'], positional: true }],
  parameters: [
    {
      name: 'profile',
      type: 'choice',
      label: 'Profile',
      help: 'Check this profile instead of those the crate claims.',
      optional: true,
      options: [
        { value: 'ro-crate', label: 'RO-Crate 1.1 only' },
        { value: 'process', label: 'Process Run Crate 0.5' },
        { value: 'workflow', label: 'Workflow Run Crate 0.5' },
        { value: 'provenance', label: 'Provenance Run Crate 0.5' },
        { value: 'workflow-ro-crate', label: 'Workflow RO-Crate 1.0' },
      ],
    },
  ],
  outputs: [{ name: 'report', label: 'Validation report', help: 'JSON document: valid, profiles and findings.', formats: ['json'] }],
  citations: [RO_CRATE_CITATION],
  edam: { operations: ['operation_0336'], topics: ['topic_0769'] },
};
