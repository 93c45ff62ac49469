/**
 * The `imagej-macro` node (`fairio macro run`): its description
 * (description.ts) and `run`, which hands the work to `runMacro` and
 * reports the ImageJ and Java that ran, as ImageJ itself told, and one part
 * per image (its own Process Run Crate), for provenance.
 */
import * as path from 'node:path';
import { runSettings, type AnalysisNode, type NodeRunContext, type NodeRunResult } from '../node.js';
import { parameterLines } from '../parameters.js';
import { runMacro } from './run-macro.js';
import { imagejMacroDescription } from './description.js';

export const imagejMacroNode: AnalysisNode = {
  description: imagejMacroDescription,
  async run(context: NodeRunContext): Promise<NodeRunResult> {
    const p = context.parameters;
    const images = context.inputs.images;
    const macro = context.inputs.macro as string;
    const result = await runMacro({
      macro,
      images: images === undefined ? [] : Array.isArray(images) ? images : [images],
      output: context.outputs.output,
      args: parameterLines(p.args as string | undefined),
      timeoutSeconds: p.timeout as number | undefined,
      imagej: p.imagej as string | undefined,
      memory: p.memory as string | undefined,
      level: p.level as number | undefined,
      region: p.region as string | undefined,
      ...runSettings(context),
    });
    return {
      outputs: {
        output: result.output,
      },
      software: [
        { name: 'ImageJ', version: result.imagej.version, url: 'https://imagej.net/ij/' },
        { name: `Java (${result.imagej.javaVendor || 'unknown vendor'})`, version: result.imagej.java, url: 'https://openjdk.org/' },
      ],
      summary: {
        images: result.images.length,
        macroSha256: result.macroSha256,
        imagejJar: result.imagej.jar,
        imagejSeconds: Number(result.imagejSeconds.toFixed(2)),
        perImage: result.images.map((i) => ({
          input: i.input,
          folder: i.folder,
          images: i.images.length,
          tables: i.tables.length,
          ...(i.resultRows !== undefined ? { resultRows: i.resultRows } : {}),
        })),
        ...(result.warnings.length ? { warnings: result.warnings } : {}),
      },
      parts: result.images.map((i) => ({
        name: `${path.basename(macro)} on ${path.basename(i.input)}`,
        folder: i.folder,
        inputs: [
          { name: 'images', path: i.input },
          { name: 'macro', path: macro, text: result.macroText },
        ],
        outputs: [...i.images, ...i.tables, ...i.files, i.log],
        startTime: i.startTime.toISOString(),
        endTime: i.endTime.toISOString(),
      })),
    };
  },
};
