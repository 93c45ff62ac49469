/**
 * Galaxy tools that are fairio commands rather than analysis nodes, made
 * runnable by the local runner. `fairio_convert` (TIFF → OME-Zarr) starts
 * most image workflows; its description is galaxy-tools' `convertDescription`
 * (the one its Galaxy tool is generated from, mirroring `fairio convert`),
 * and it runs ngff's `convertTiff` with the same option rules as the command.
 */
import { convertTiff, FairioError, parseCompressor, type ChannelDisplay, type DataType } from '@fairio/ngff';
import type { AnalysisNode, NodeRunContext, NodeRunResult } from '@fairio/model-runner';
import { convertDescription } from '@fairio/galaxy-tools';

const text = (v: unknown) => (v === undefined || v === '' ? undefined : String(v));

/** "1,1,512,512" → [1, 1, 512, 512]. */
function shape(value: unknown, what: string): number[] | undefined {
  const t = text(value);
  if (t === undefined) return undefined;
  const values = t.split(',').map((v) => Number(v.trim()));
  if (values.some((v) => !Number.isInteger(v) || v < 1)) throw new FairioError('INVALID_ARGUMENT', `${what} must be comma-separated positive integers, not "${t}"`);
  return values;
}

/** "z=2,y=0.65,x=0.65" → { z: 2, y: 0.65, x: 0.65 }. */
function pixelSize(value: unknown): Record<string, number> | undefined {
  const t = text(value);
  if (t === undefined) return undefined;
  return Object.fromEntries(
    t.split(',').map((part) => {
      const [axis, size] = part.split('=').map((s) => s.trim());
      if (!axis || !(Number(size) > 0)) throw new FairioError('INVALID_ARGUMENT', `pixel size takes AXIS=SIZE pairs such as z=2,y=0.65,x=0.65, not "${t}"`);
      return [axis, Number(size)];
    }),
  );
}

function channels(names: unknown, colors: unknown): ChannelDisplay[] | undefined {
  const n = text(names)?.split(',').map((s) => s.trim());
  const c = text(colors)?.split(',').map((s) => s.trim().replace(/^#/, '').toUpperCase());
  if (!n && !c) return undefined;
  return Array.from({ length: Math.max(n?.length ?? 0, c?.length ?? 0) }, (_, i) => ({ label: n?.[i] || undefined, color: c?.[i] || undefined }));
}

export const convertTool: AnalysisNode = {
  description: convertDescription,
  async run(context: NodeRunContext): Promise<NodeRunResult> {
    const p = context.parameters;
    const input = context.inputs.input;
    if (typeof input !== 'string') throw new FairioError('INVALID_ARGUMENT', 'convert takes one TIFF');
    const written = await convertTiff(input, context.outputs.output, {
      ngff: p.ngff === '0.4' ? '0.4' : '0.5',
      chunks: shape(p.chunks, 'chunks'),
      levels: p.levels === undefined ? undefined : Number(p.levels),
      compressor: parseCompressor(text(p.compressor) ?? 'blosc-zstd'),
      series: Number(p.series ?? 0),
      dtype: text(p.dtype) as DataType | undefined,
      pixelSize: pixelSize(p.pixelSize),
      unit: text(p.unit),
      channels: channels(p.channelNames, p.channelColors),
      name: text(p.name),
      overwrite: context.overwrite,
      workers: context.workers,
      onProgress: context.onProgress,
    });
    return { outputs: { output: written.path }, summary: { ngff: written.ngff, axes: written.axes.map((a) => a.name).join(''), levels: written.levels.length } };
  },
};

/** Command tools the local runner can run, beside the registry's nodes. */
export const commandTools: AnalysisNode[] = [convertTool];
