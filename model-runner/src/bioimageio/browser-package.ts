/**
 * A model package as a web page (or a web worker) reaches it: files fetched
 * one by one (a folder in the Jupyter file tree) or a `.zip` held in memory.
 * The description is found and parsed, and checked, by the same code as the
 * command line (`pickDescription`, `parseDescription`, `checkModelDocument`:
 * 0.4 and 0.5, every file's sha256, the ONNX graph against the declared
 * axes); only the JSON Schema is left out (its files are not in a page).
 * Nothing is downloaded from the internet: weights named by URL are refused.
 * Runtime-agnostic: no Node imports (SHA-256 through Web Crypto).
 */
import { unzipSync } from 'fflate';
import { FairioError } from '@fairio/ngff/browser';
import { isRemote, unsafePathReason, type PackageFiles } from './spec/checks.js';
import { checkModelDocument, InvalidModelError } from './spec/check-package.js';
import { parseDescription, pickDescription } from './spec/description.js';
import type { Finding } from './spec/findings.js';
import type { ModelSpec } from './spec/model.js';

/** Where the files of a package come from. */
export interface PackageSource {
  /** What the user named, for messages. */
  location: string;
  /** File names at the package's root (to find the description). */
  list(): Promise<string[]>;
  /** A file by its path inside the package; undefined when it is not there. */
  read(source: string): Promise<Uint8Array | undefined>;
  /** The description's name when the user picked the file itself. */
  description?: string;
  /** sha256 of the zip the package came in. */
  packageSha256?: string;
}

export interface BrowserModel {
  model: ModelSpec;
  findings: Finding[];
  /** The description's file name inside the package, and the sha256 of its bytes. */
  descriptionName: string;
  descriptionSha256: string;
  packageSha256?: string;
  /** The ONNX weights (sha256 checked against the description where it names one). */
  weights: Uint8Array;
  weightsSha256: string;
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) throw new FairioError('UNSUPPORTED', 'this page has no Web Crypto (SHA-256); open JupyterLab over https or on localhost');
  const digest = await subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export interface ZipSourceLimits {
  maxEntries?: number;
  maxTotalBytes?: number;
}

/** A zipped package in memory; entries are checked as the command line's `extractZip` checks them (paths, count, size). */
export async function zipSource(location: string, bytes: Uint8Array, limits: ZipSourceLimits = {}): Promise<PackageSource> {
  const maxEntries = limits.maxEntries ?? 10_000;
  const maxTotal = limits.maxTotalBytes ?? 2 * 2 ** 30;
  let entries = 0;
  let total = 0;
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter(file) {
        const reason = unsafePathReason(file.name.replace(/\/$/, ''));
        if (reason) throw new FairioError('INVALID_ARGUMENT', `refused: entry ${reason}`, { path: location });
        if (++entries > maxEntries) throw new FairioError('INVALID_ARGUMENT', `refused: it has more than ${maxEntries} entries`, { path: location });
        total += file.originalSize;
        if (total > maxTotal) throw new FairioError('INVALID_ARGUMENT', `refused: it would unpack to more than ${(maxTotal / 2 ** 30).toFixed(1)} GiB`, { path: location });
        return !file.name.endsWith('/');
      },
    });
  } catch (e) {
    if (e instanceof FairioError) throw e;
    throw new FairioError('INVALID_ARGUMENT', `is not a readable zip file (${(e as Error).message})`, { path: location });
  }
  const packageSha256 = await sha256Hex(bytes);
  return {
    location,
    packageSha256,
    list: async () => Object.keys(files).filter((n) => !n.includes('/')),
    read: async (source) => files[source],
  };
}

/** `PackageFiles` over a source, each file read once. */
function packageFiles(source: PackageSource): PackageFiles & { bytes(name: string): Promise<Uint8Array | undefined> } {
  const cache = new Map<string, Promise<Uint8Array | undefined>>();
  const bytes = (name: string) => {
    if (!cache.has(name)) cache.set(name, source.read(name));
    return cache.get(name)!;
  };
  return {
    location: source.location,
    bytes,
    async sha256(name) {
      const b = await bytes(name);
      return b === undefined ? undefined : sha256Hex(b);
    },
    async read(name) {
      const b = await bytes(name);
      if (b === undefined) throw new FairioError('NOT_FOUND', `"${name}" is not in the package`, { path: source.location });
      return b;
    },
  };
}

/** Find, parse and check the description, and read the ONNX weights; throws `InvalidModelError` with every finding when invalid. */
export async function openBrowserModel(source: PackageSource): Promise<BrowserModel> {
  const descriptionName = source.description ?? pickDescription(await source.list(), source.location);
  const files = packageFiles(source);
  const where = `${source.location.replace(/\/+$/, '')}${source.description ? '' : `/${descriptionName}`}`;
  const text = await files.bytes(descriptionName);
  if (!text) throw new FairioError('NOT_FOUND', `has no model description ${descriptionName}`, { path: source.location });
  const doc = parseDescription(text, where);
  const { model, findings } = await checkModelDocument(doc, files);
  if (findings.some((f) => f.severity === 'error')) throw new InvalidModelError(where, findings);
  if (!model.onnx) throw new FairioError('UNSUPPORTED', `has no ONNX weights (only ${model.weightsFormats.join(', ') || 'none'}); the viewer runs ONNX weights`, { path: where });
  if (isRemote(model.onnx.source)) throw new FairioError('UNSUPPORTED', `its ONNX weights are at ${model.onnx.source}; nothing is downloaded from the internet here: put the weights into the package (e.g. fairio model package) first`, { path: where });
  const weights = await files.bytes(model.onnx.source);
  if (!weights) throw new FairioError('NOT_FOUND', `the ONNX weights "${model.onnx.source}" are not in the package`, { path: where });
  return {
    model,
    findings,
    descriptionName,
    descriptionSha256: await sha256Hex(text),
    packageSha256: source.packageSha256,
    weights,
    weightsSha256: await sha256Hex(weights),
  };
}
