/** `fairio sample OUT.ome.tiff`: write the bundled synthetic fluorescence sample. */
import type { Command } from 'commander';
import { emit, type CommonOptions } from '../output.js';

interface SampleCliOptions extends CommonOptions {
  size: string;
  depth: string;
  seed: string;
  overwrite?: boolean;
}

export function registerSample(program: Command): void {
  program
    .command('sample')
    .description('write the bundled synthetic sample: a 2-channel z-stack of nuclei-like blobs with noise, as OME-TIFF')
    .argument('<output>', 'OME-TIFF file to create (e.g. sample.ome.tiff)')
    .option('--size <pixels>', 'width and height', '512')
    .option('--depth <slices>', 'z-slices', '8')
    .option('--seed <n>', 'random seed (same seed, same bytes)', '20261124')
    .option('--overwrite', 'replace OUTPUT if it exists')
    .option('--json', 'print a JSON summary')
    .option('-q, --quiet', 'no progress output')
    .action(async (output: string, options: SampleCliOptions) => {
      const { sampleOmeXml, syntheticSample, writeAtomically, writeTiff } = await import('@fairio/ngff');
      const size = Number(options.size);
      const sample = syntheticSample({ width: size, height: size, depth: Number(options.depth), seed: Number(options.seed) });
      await writeAtomically(
        output,
        (temp) =>
          writeTiff(temp, sample.planes(), {
            width: sample.width,
            height: sample.height,
            dtype: 'uint16',
            planeCount: sample.depth * sample.channels.length,
            description: sampleOmeXml(sample, 'fairio synthetic nuclei'),
          }),
        { overwrite: options.overwrite },
      );
      emit(
        { path: output, width: sample.width, height: sample.height, depth: sample.depth, channels: sample.channels, physicalSize: sample.physicalSize, nuclei: sample.nuclei.length },
        options,
        (s) => `wrote ${s.path}: ${s.channels.length} channels (${s.channels.map((c) => c.name).join(', ')}) × ${s.depth} z × ${s.height} × ${s.width}, ${s.nuclei} nuclei, pixel ${s.physicalSize.x} µm`,
      );
    });
}
