/** Citations and input/output helpers the three op nodes share. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FairioError } from '@fairio/ngff/errors';
import type { Citation, NodeRunContext } from '../node.js';

export const OTSU_CITATION: Citation = {
  doi: '10.1109/TSMC.1979.4310076',
  text: 'Otsu N. A threshold selection method from gray-level histograms. IEEE Transactions on Systems, Man, and Cybernetics 9(1):62-66, 1979.',
};

export const SCIKIT_IMAGE_CITATION: Citation = {
  doi: '10.7717/peerj.453',
  text: 'van der Walt S, Schönberger JL, Nunez-Iglesias J, et al. scikit-image: image processing in Python. PeerJ 2:e453, 2014 (the definitions these ops reproduce).',
};

export const UNION_FIND_CITATION: Citation = {
  doi: '10.1016/0304-3975(94)00262-2',
  text: 'Fiorio C, Gustedt J. Two linear time Union-Find strategies for image processing. Theoretical Computer Science 154(2):165-181, 1996.',
};

/** A single-path input by name (runNode has checked that required ones are there). */
export function stringInput(context: NodeRunContext, name: string): string {
  const value = context.inputs[name];
  if (typeof value !== 'string') throw new FairioError('INVALID_ARGUMENT', `input "${name}" takes one path`);
  return value;
}

export function optionalInput(context: NodeRunContext, name: string): string | undefined {
  const value = context.inputs[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new FairioError('INVALID_ARGUMENT', `input "${name}" takes one path`);
  return value;
}

export function requireOutput(context: NodeRunContext, name: string): string {
  const value = context.outputs[name];
  if (!value) throw new FairioError('INVALID_ARGUMENT', `output "${name}" is required`);
  return value;
}

/** Refuse before any work starts when the output exists (and may not be replaced) or cannot be created. */
export function checkOutput(output: string, overwrite?: boolean): void {
  const target = path.resolve(output);
  if (fs.existsSync(target) && !overwrite) throw new FairioError('OUTPUT_EXISTS', 'already exists; choose another output or allow overwriting', { path: output });
  if (!fs.existsSync(path.dirname(target))) throw new FairioError('NOT_FOUND', `output folder ${path.dirname(target)} does not exist`, { path: output });
}
