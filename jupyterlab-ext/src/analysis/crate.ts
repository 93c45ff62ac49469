/**
 * The Process Run Crate of one analysis run from the viewer
 * (`ro-crate-metadata.json` of `<image>.analysis-<stamp>/`): the image
 * analysed (its server path, the region, z, t and channels), the tool (model
 * or classifier, with the sha256 of its weights or file), the software that
 * ran it (this extension on ONNX Runtime Web), the parameters, the result
 * (an OME-Zarr inside the crate) and the times. Pure: the text is saved by
 * the caller.
 */
import { addProcessRun, CrateBuilder, FAIRIO_URL, NGFF_FORMAT, pathToId, ref, type DescribedData, type RunParameter } from '@fairio/provenance/browser';
import type { AnalysisDescription, AnalysisOutput, AnalysisRequest } from './runner.js';

export interface AnalysisRunRecord {
  description: AnalysisDescription;
  request: AnalysisRequest;
  /** Server path of the image: the store's path plus the group path inside it. */
  image: string;
  /** Which region was asked for: what was in view, or the whole image. */
  scope: 'visible' | 'image';
  output: AnalysisOutput;
  /** The result's folder inside the crate, e.g. 'prediction.ome.zarr'. */
  resultFolder: string;
  extensionVersion: string;
  startTime: Date;
  endTime: Date;
}

function described(entity: DescribedData['entity'], inside: boolean, kind: 'file' | 'folder'): DescribedData {
  return { ref: ref(entity['@id']), entity, manifest: [], inside, absolute: '', kind };
}

export function analysisCrate(run: AnalysisRunRecord): string {
  const { description: tool, request, output } = run;
  const builder = CrateBuilder.create({
    name: `${tool.name} on ${run.image}`,
    description: `${tool.kind === 'bioimageio-model' ? 'bioimage.io model' : 'Pixel classifier'} "${tool.name}" run from the fairio JupyterLab viewer on ${run.scope === 'visible' ? 'the visible region' : 'the whole plane'} of ${run.image} (x ${request.region.x}, y ${request.region.y}, ${request.region.width}×${request.region.height}, z ${request.z}, t ${request.t}).`,
  });
  const image = described({ '@id': '#input-image', '@type': 'Dataset', name: run.image, description: 'The OME-Zarr image analysed (path in the Jupyter server\'s file tree; level 0)', encodingFormat: ref(NGFF_FORMAT) }, false, 'folder');
  const toolEntity = described(
    {
      '@id': `#tool-${tool.sha256.slice(0, 16)}`,
      '@type': 'File',
      name: tool.name,
      description: `${tool.kind === 'bioimageio-model' ? 'bioimage.io model package' : 'fairio pixel classifier'} at ${tool.file} (path in the Jupyter server's file tree); sha256 of its ${tool.kind === 'bioimageio-model' ? 'ONNX weights' : 'file'}`,
      sha256: tool.sha256,
      ...(tool.id ? { identifier: tool.id } : {}),
      ...(tool.version ? { version: tool.version } : {}),
      encodingFormat: tool.kind === 'bioimageio-model' ? 'application/onnx' : 'application/json',
    },
    false,
    'file',
  );
  const result = described(
    {
      '@id': pathToId(run.resultFolder, true),
      '@type': 'Dataset',
      name: `${tool.name} result`,
      description: `${output.kind === 'labels' ? 'Label image' : 'Model output'} (${output.channels} channel${output.channels === 1 ? '' : 's'} × ${output.height} × ${output.width}, ${output.data instanceof Uint8Array ? 'uint8' : 'float32'}), aligned with the region's level-0 pixels`,
      encodingFormat: ref(NGFF_FORMAT),
    },
    true,
    'folder',
  );
  builder.addToRoot('hasPart', result.entity['@id']);
  const parameters: RunParameter[] = [
    { name: 'scope', value: run.scope, description: 'visible: the region in view; image: the whole plane' },
    { name: 'regionX', value: request.region.x, unitText: 'pixel' },
    { name: 'regionY', value: request.region.y, unitText: 'pixel' },
    { name: 'regionWidth', value: request.region.width, unitText: 'pixel' },
    { name: 'regionHeight', value: request.region.height, unitText: 'pixel' },
    { name: 'z', value: request.z },
    { name: 't', value: request.t },
    { name: 'channels', value: request.channels.join(',') },
    ...Object.entries({ ...tool.parameters, ...output.details }).map(([name, value]) => ({ name, value })),
  ];
  addProcessRun(builder, {
    name: `${tool.name} on ${run.image}`,
    description: `Run from the fairio JupyterLab viewer`,
    instrument: {
      name: 'fairio for JupyterLab (jupyterlab-fairio)',
      version: run.extensionVersion,
      url: FAIRIO_URL,
      id: `${FAIRIO_URL}/tree/main/jupyterlab-ext#v${run.extensionVersion}`,
      requires: tool.software.map((s) => ({ name: s.name, version: s.version, url: s.url ?? FAIRIO_URL })),
    },
    inputs: [image, toolEntity],
    parameters,
    outputs: [result],
    startTime: run.startTime,
    endTime: run.endTime,
  });
  return `${JSON.stringify(builder.toJSON(), null, 2)}\n`;
}
