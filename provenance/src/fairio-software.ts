/**
 * fairio itself and the Node.js it runs on, as `Software` (Node only: the
 * version comes from this package's package.json, Node's from `process`).
 */
import { createRequire } from 'node:module';
import { FAIRIO_URL, type Software } from './software.js';

const { version: FAIRIO_VERSION } = createRequire(import.meta.url)('../package.json') as { version: string };

/** Node.js, as the engine every fairio run uses. */
export function nodeSoftware(version = process.versions.node): Software {
  return { name: 'Node.js', version, url: 'https://nodejs.org/', id: `https://nodejs.org/download/release/v${version}/` };
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
