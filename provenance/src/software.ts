/**
 * The software a run used, as `SoftwareApplication`s with name, version and
 * url: fairio itself (with the command or node that ran) and each engine it
 * drove (Node.js, ONNX Runtime, ImageJ). Each version gets its own `@id`, so
 * runs made with different versions stay apart when they share a crate.
 */
import { createRequire } from 'node:module';
import type { CrateBuilder, Entity, Ref } from './builder.js';
import { ref } from './builder.js';

export interface Software {
  name: string;
  version: string;
  /** Home page of the software. */
  url: string;
  /** Default: the url with the version as fragment (unique per version, absolute as Process Run Crate recommends). */
  id?: string;
  description?: string;
  /** Engines or libraries this software ran on. */
  requires?: Software[];
}

/** Where fairio is published; the `@id` of every fairio `SoftwareApplication` starts with it. */
export const FAIRIO_URL = 'https://github.com/fairio/fairio';

const { version: FAIRIO_VERSION } = createRequire(import.meta.url)('../package.json') as { version: string };

export function softwareId(software: Software): string {
  return software.id ?? `${software.url.replace(/\/?$/, '/')}#v${software.version}`;
}

/** Node.js, as the engine every fairio run uses. */
export function nodeSoftware(version = process.versions.node): Software {
  return { name: 'Node.js', version, url: 'https://nodejs.org/', id: `https://nodejs.org/download/release/v${version}/` };
}

export function onnxRuntimeSoftware(version: string): Software {
  return { name: 'ONNX Runtime', version, url: 'https://onnxruntime.ai/', id: `https://github.com/microsoft/onnxruntime/releases/tag/v${version}` };
}

export function imageJSoftware(version: string): Software {
  return { name: 'ImageJ', version, url: 'https://imagej.net/ij/' };
}

/** fairio itself; `command` names what ran (e.g. "convert"), engines are added as requirements. */
export function fairioSoftware(options: { command?: string; engines?: Software[] } = {}): Software {
  return {
    name: options.command ? `fairio ${options.command}` : 'fairio',
    version: FAIRIO_VERSION,
    url: FAIRIO_URL,
    id: `${FAIRIO_URL}/releases/tag/v${FAIRIO_VERSION}${options.command ? `#${options.command.replace(/\s+/g, '-')}` : ''}`,
    description: 'FAIR, reproducible bioimage analysis: OME-Zarr, analysis nodes, RO-Crate provenance',
    requires: [nodeSoftware(), ...(options.engines ?? [])],
  };
}

/** Add a SoftwareApplication (and its requirements) to a crate. */
export function addSoftware(builder: CrateBuilder, software: Software, extraTypes: string[] = []): Ref {
  const id = softwareId(software);
  const requirements = (software.requires ?? []).map((r) => addSoftware(builder, r));
  const entity: Entity = {
    '@id': id,
    '@type': extraTypes.length ? ['SoftwareApplication', ...extraTypes] : 'SoftwareApplication',
    name: software.name,
    softwareVersion: software.version,
    url: software.url,
  };
  if (software.description) entity.description = software.description;
  if (requirements.length) entity.softwareRequirements = requirements;
  builder.put(entity);
  return ref(id);
}
