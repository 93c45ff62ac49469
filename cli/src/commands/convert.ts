/** `fairio convert IN OUT`: TIFF / BigTIFF / OME-TIFF to OME-Zarr, chunk by chunk. */
import * as path from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import type { ChannelDisplay, DataType } from '@fairio/ngff';
import { FairioError, parseCompressor } from '@fairio/ngff/basics';
import { createProgress } from '../progress.js';
import { emit, type CommonOptions } from '../output.js';
import { addFairOptions, type FairCliOptions } from '../fair-options.js';

interface ConvertCliOptions extends CommonOptions, FairCliOptions {
  ngff: '0.4' | '0.5';
  chunks?: string;
  shards?: string;
  levels?: string;
  compressor: string;
  series: string;
  workers?: string;
  overwrite?: boolean;
  dtype?: DataType;
  pixelSize?: string;
  unit?: string;
  channelNames?: string;
  channelColors?: string;
  name?: string;
}

/** "z=2,y=0.65,x=0.65" → { z: 2, y: 0.65, x: 0.65 }. */
export function parsePixelSize(text: string | undefined): Record<string, number> | undefined {
  if (text === undefined) return undefined;
  return Object.fromEntries(
    text.split(',').map((part) => {
      const [axis, value] = part.split('=').map((s) => s.trim());
      const size = Number(value);
      if (!axis || !(size > 0)) throw new FairioError('INVALID_ARGUMENT', `--pixel-size takes AXIS=SIZE pairs such as z=2,y=0.65,x=0.65, not "${text}"`);
      return [axis, size];
    }),
  );
}

/** Names and colours from comma-separated lists, into channel entries. */
function channelOverrides(names: string | undefined, colors: string | undefined): ChannelDisplay[] | undefined {
  if (names === undefined && colors === undefined) return undefined;
  const nameList = names?.split(',').map((s) => s.trim());
  const colorList = colors?.split(',').map((s) => s.trim().replace(/^#/, '').toUpperCase());
  for (const c of colorList ?? []) if (!/^[0-9A-F]{6}$/.test(c)) throw new FairioError('INVALID_ARGUMENT', `channel colour "${c}" is not a hex RGB value such as FF00FF`);
  return Array.from({ length: Math.max(nameList?.length ?? 0, colorList?.length ?? 0) }, (_, i) => ({ label: nameList?.[i] || undefined, color: colorList?.[i] || undefined }));
}

/** "1,1,512,512" → [1, 1, 512, 512]. */
export function parseShape(text: string | undefined, what: string): number[] | undefined {
  if (text === undefined) return undefined;
  const values = text.split(',').map((v) => Number(v.trim()));
  if (values.some((v) => !Number.isInteger(v) || v < 1)) throw new FairioError('INVALID_ARGUMENT', `${what} must be comma-separated positive integers, not "${text}"`);
  return values;
}

export function registerConvert(program: Command): void {
  addFairOptions(program.command('convert'))
    .description('convert a TIFF, BigTIFF or OME-TIFF to OME-Zarr, streaming chunk by chunk; the run is recorded as an RO-Crate in the output and its folder')
    .argument('<input>', 'TIFF / OME-TIFF file')
    .argument('<output>', 'OME-Zarr folder to create (e.g. image.ome.zarr)')
    .addOption(new Option('--ngff <version>', 'OME-NGFF version: 0.5 (Zarr v3) or 0.4 (Zarr v2)').choices(['0.4', '0.5']).default('0.5'))
    .option('--chunks <shape>', 'chunk shape in t,c,z,y,x order of the output axes (default 1 along t/c/z, up to 512 in y/x)')
    .option('--shards <shape>', 'shard shape (NGFF 0.5 only), a multiple of the chunks')
    .option('--levels <n>', 'pyramid levels (default: until the image fits in one chunk)')
    .option('--compressor <name>', 'blosc-zstd, blosc-lz4, zstd, gzip or none, optionally :LEVEL', 'blosc-zstd')
    .option('--series <n>', 'series of a multi-series file', '0')
    .addOption(new Option('--dtype <type>', 'pixel type on disk (integers are rounded and clamped)').choices(['uint8', 'int8', 'uint16', 'int16', 'uint32', 'int32', 'float32', 'float64']))
    .option('--pixel-size <sizes>', 'physical pixel sizes replacing the file\'s, e.g. z=2,y=0.65,x=0.65')
    .option('--unit <unit>', 'unit of those sizes (e.g. micrometer, nanometer)')
    .option('--channel-names <names>', 'comma-separated channel names, replacing the file\'s')
    .option('--channel-colors <colors>', 'comma-separated hex RGB colours, e.g. 0000FF,00FF00')
    .option('--name <name>', 'image name in the metadata')
    .option('--workers <n>', 'encoding threads (default: all cores)')
    .option('--overwrite', 'replace OUTPUT if it exists')
    .option('--json', 'print a JSON summary of what was written')
    .option('-q, --quiet', 'no progress bar')
    .action(async (input: string, output: string, options: ConvertCliOptions) => {
      const { checkFairOptions, recordCommandRun } = await import('../record-command-run.js');
      const { convertTiff } = await import('@fairio/ngff');
      const fair = checkFairOptions(options);
      const progress = createProgress('converting', { quiet: options.quiet });
      const started = Date.now();
      const { ngff, chunks, shards, levels, compressor, series, dtype, pixelSize, unit, channelNames, channelColors, name } = options;
      const record = (error?: unknown) =>
        options.crate === false
          ? undefined
          : recordCommandRun({
              command: 'convert',
              name: `Convert ${path.basename(input)} to OME-Zarr`,
              input,
              output,
              started: new Date(started),
              error,
              fair,
              imageName: name,
              parameters: { ngff, chunks, shards, levels, compressor, series, dtype, 'pixel-size': pixelSize, unit, 'channel-names': channelNames, 'channel-colors': channelColors, name },
            });
      try {
        const written = await convertTiff(input, output, {
          ngff: options.ngff,
          chunks: parseShape(options.chunks, '--chunks'),
          shards: parseShape(options.shards, '--shards'),
          levels: parseShape(options.levels, '--levels')?.[0],
          compressor: parseCompressor(options.compressor),
          series: Number(options.series),
          workers: options.workers === undefined ? undefined : Number(options.workers),
          overwrite: options.overwrite,
          dtype: options.dtype,
          pixelSize: parsePixelSize(options.pixelSize),
          unit: options.unit,
          channels: channelOverrides(options.channelNames, options.channelColors),
          name: options.name,
          onProgress: (done, total) => progress.update(done, total),
        }).catch(async (error: unknown) => {
          await Promise.resolve(record(error)).catch(() => undefined); // a failed run still leaves a crate
          throw error;
        });
        progress.stop();
        const seconds = (Date.now() - started) / 1000;
        const crate = await record();
        emit({ ...written, seconds, ...(crate ? { crate: crate.crateDir } : {}) }, options, (w) =>
          [
            `wrote ${w.path} (OME-NGFF ${w.ngff}) in ${seconds.toFixed(1)} s`,
            `  axes: ${w.axes.map((a) => a.name).join(', ')}; pixel size: ${w.scale.join(' × ')}`,
            ...w.levels.map((l, i) => `  level ${i}: shape [${l.shape.join(', ')}], chunks [${l.chunks.join(', ')}]${l.shards ? `, shards [${l.shards.join(', ')}]` : ''}`),
          ].join('\n'),
        );
      } finally {
        progress.stop();
      }
    });
}
