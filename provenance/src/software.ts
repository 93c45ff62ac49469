/**
 * The software a run used, as `SoftwareApplication`s with name, version and
 * url: fairio itself (with the command or node that ran) and each engine it
 * drove (Node.js, ONNX Runtime, ImageJ). Each version gets its own `@id`, so
 * runs made with different versions stay apart when they share a crate. No
 * Node built-ins here (browsers use it too); fairio's own version and Node.js
 * are in `fairio-software.ts`.
 */
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

export function softwareId(software: Software): string {
  return software.id ?? `${software.url.replace(/\/?$/, '/')}#v${software.version}`;
}

export function onnxRuntimeSoftware(version: string): Software {
  return { name: 'ONNX Runtime', version, url: 'https://onnxruntime.ai/', id: `https://github.com/microsoft/onnxruntime/releases/tag/v${version}` };
}

export function imageJSoftware(version: string): Software {
  return { name: 'ImageJ', version, url: 'https://imagej.net/ij/' };
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
