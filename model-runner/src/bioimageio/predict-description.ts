/**
 * What the `predict` node is, as data: the description the CLI, Galaxy
 * tools and workflows are generated from, apart from the prediction itself
 * (predict-node.ts, loaded on the node's first run).
 */
import { COMPRESSOR_NAME_PATTERN } from '@fairio/ngff/basics';
import type { NodeDescription } from '../node.js';

/**
 * The prediction's compressor unless asked otherwise: blosc-zstd at clevel 1
 * (zstd level 1, byte shuffle). A model's float32 output (probabilities,
 * distances) has noisy low mantissa bits, so stronger zstd levels buy almost
 * nothing: on the U-Net's 2048² prediction with its pyramid (20 MiB) clevel 5
 * (zstd level 9, the writer's default for images) gave ratio 1.37 for 333 ms
 * of CPU, clevel 1 ratio 1.35 for 94 ms (1.9 % larger files, 3.5× less
 * CPU; blosc-lz4 1.28 for 160 ms, plain zstd 1.13). The chunks stay ordinary
 * blosc that every reader decodes to the same values.
 */
export const PREDICTION_COMPRESSOR = 'blosc-zstd:1';

export const predictDescription: NodeDescription = {
  id: 'bioimageio_predict',
  command: ['predict'],
  name: 'bioimage.io prediction',
  version: '0.1.0',
  summary: 'Run a bioimage.io model (ONNX weights) on an OME-Zarr image, tile by tile',
  help: [
    'Applies a BioImage Model Zoo model to an image of any size with the model\'s own pre- and post-processing, computing the same numbers as bioimageio.core.',
    'The model package (folder, rdf.yaml/bioimageio.yaml, .zip or http(s) URL) is validated first and refused when invalid. Statistics for normalisation are measured over the whole image, then the image is predicted in tiles with the output halo cropped; time points (and z slices for 2D models) are predicted one by one.',
    'Example: fairio predict --model nuclei-demo/ cells.ome.zarr nuclei.ome.zarr --channels 0',
  ].join('\n'),
  inputs: [
    { name: 'model', label: 'Model', help: 'bioimage.io model: folder, rdf.yaml/bioimageio.yaml, .zip or http(s) URL', formats: ['bioimageio-model'] },
    { name: 'image', label: 'Image', help: 'OME-Zarr image to predict', formats: ['ome-zarr'], positional: true },
  ],
  parameters: [
    { name: 'tile', label: 'Tile size', help: 'wanted input tile size along y and x (rounded to a size the model accepts; 0 = the whole image in one tile); default from the model', type: 'integer', min: 0, optional: true },
    { name: 'device', label: 'Device', help: 'where ONNX Runtime runs the model', type: 'choice', default: 'cpu', options: [{ value: 'cpu', label: 'CPU' }, { value: 'cuda', label: 'NVIDIA GPU (CUDA)' }] },
    { name: 'channels', label: 'Channels', help: 'image channels to feed the model, e.g. "0" or "0,2" (default: all, when their number fits the model)', type: 'text', pattern: '\\d+(,\\d+)*', optional: true },
    { name: 'output', label: 'Output tensor', help: 'which model output to write (default: the first)', type: 'text', optional: true },
    { name: 'compressor', label: 'Compressor', help: `how the prediction's chunks are compressed: blosc-zstd, blosc-lz4, zstd, gzip or none, optionally with :LEVEL; the default ${PREDICTION_COMPRESSOR} is about as small as blosc-zstd:5 on float predictions at a third of the CPU`, type: 'text', default: PREDICTION_COMPRESSOR, pattern: COMPRESSOR_NAME_PATTERN },
    { name: 'ngff', label: 'OME-NGFF version', help: 'version of the written OME-Zarr', type: 'choice', default: '0.5', options: [{ value: '0.5', label: '0.5 (Zarr v3)' }, { value: '0.4', label: '0.4 (Zarr v2)' }] },
  ],
  outputs: [{ name: 'prediction', label: 'Prediction', help: 'the model output as an OME-Zarr image', formats: ['ome-zarr'], positional: true }],
  citations: [{ doi: '10.1101/2022.06.07.495102', text: 'Ouyang W. et al. BioImage Model Zoo: A Community-Driven Resource for Accessible Deep Learning in BioImage Analysis. bioRxiv 2022.' }],
  edam: { operations: ['operation_3443'], topics: ['topic_3474'] },
};

