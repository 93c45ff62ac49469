/**
 * Opening a model package wherever it is: a folder, a description file, a
 * `.zip` (unpacked safely, once, into the cache under its sha256), or an
 * http(s) URL of either. Downloads go into a content-addressed cache
 * (`$FAIRIO_CACHE_DIR/bioimageio`, else `~/.cache/fairio/bioimageio`): a file
 * whose sha256 the description states is fetched once and reused; a
 * package URL is remembered with the sha256 of what it served.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FairioError, NotFoundError, isUrl } from '@fairio/ngff';
import { isRemote, unsafePathReason, type PackageFiles } from './checks.js';
import { extractZip, type ZipLimits } from './zip.js';
import { parseDescription, pickDescription } from './description.js';

export { DESCRIPTION_NAMES } from './description.js';

export interface OpenOptions extends ZipLimits {
  /** Cache folder (default `$FAIRIO_CACHE_DIR/bioimageio` or `~/.cache/fairio/bioimageio`). */
  cacheDir?: string;
  /** Largest download accepted, in bytes (default 4 GiB). */
  maxDownloadBytes?: number;
}

export interface ModelPackage extends PackageFiles {
  /** What the caller named (folder, file, zip or URL). */
  location: string;
  /** The description file: local path or URL. */
  descriptionPath: string;
  /** sha256 of the description file's bytes (for provenance), and of the zip when there was one. */
  descriptionSha256: string;
  packageSha256?: string;
  /** The parsed description, as written. */
  document: Record<string, unknown>;
  /** A local path for a file of the package, downloading it into the cache when remote; checks sha256 when given. */
  localPath(source: string, sha256?: string): Promise<string>;
}

export function cacheRoot(options: OpenOptions = {}): string {
  const base = options.cacheDir ?? (process.env.FAIRIO_CACHE_DIR ? path.join(process.env.FAIRIO_CACHE_DIR, 'bioimageio') : path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'fairio', 'bioimageio'));
  fs.mkdirSync(base, { recursive: true });
  return base;
}

export function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Download `url` into the cache; returns the cached file and its sha256. */
async function download(url: string, options: OpenOptions, expectedSha256?: string): Promise<{ file: string; sha256: string }> {
  const root = cacheRoot(options);
  const filesDir = path.join(root, 'files');
  fs.mkdirSync(filesDir, { recursive: true });
  if (expectedSha256) {
    const cached = path.join(filesDir, expectedSha256.toLowerCase());
    if (fs.existsSync(cached) && (await sha256File(cached)) === expectedSha256.toLowerCase()) return { file: cached, sha256: expectedSha256.toLowerCase() };
  }
  const max = options.maxDownloadBytes ?? 4 * 2 ** 30;
  let response: Response;
  try {
    response = await fetch(url, { redirect: 'follow' });
  } catch (e) {
    throw new FairioError('IO_ERROR', `cannot download (${(e as Error).message})`, { path: url, cause: e });
  }
  if (response.status === 404) throw new NotFoundError('the server has no such file (HTTP 404)', { path: url });
  if (!response.ok || !response.body) throw new FairioError('IO_ERROR', `download failed with HTTP ${response.status}`, { path: url });
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > max) throw new FairioError('SHAPE_TOO_LARGE', `the server announces ${declared} bytes, more than the ${max} allowed`, { path: url });
  const temp = path.join(filesDir, `.download-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`);
  const hash = createHash('sha256');
  const out = fs.createWriteStream(temp);
  let received = 0;
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      received += chunk.length;
      if (received > max) throw new FairioError('SHAPE_TOO_LARGE', `the download exceeds the ${max} bytes allowed`, { path: url });
      hash.update(chunk);
      if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
    }
    await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  } catch (e) {
    out.destroy();
    fs.rmSync(temp, { force: true });
    throw e;
  }
  const sha256 = hash.digest('hex');
  if (expectedSha256 && sha256 !== expectedSha256.toLowerCase()) {
    fs.rmSync(temp, { force: true });
    throw new FairioError('INVALID_ARGUMENT', `downloaded file has sha256 ${sha256}, but the description says ${expectedSha256}`, { path: url });
  }
  const file = path.join(filesDir, sha256);
  fs.renameSync(temp, file);
  return { file, sha256 };
}

function findDescription(folder: string): string {
  return path.join(folder, pickDescription(fs.readdirSync(folder), folder));
}

/** A package whose files lie in a local folder. */
function localPackage(location: string, descriptionPath: string, extra: { packageSha256?: string } = {}): ModelPackage {
  const bytes = fs.readFileSync(descriptionPath);
  const root = path.dirname(descriptionPath);
  const resolve = (source: string) => {
    const reason = unsafePathReason(source);
    if (reason) throw new FairioError('INVALID_ARGUMENT', `refused: ${reason}`, { path: descriptionPath });
    const file = path.resolve(root, source);
    // A link inside the package must not lead outside it either.
    if (fs.existsSync(file)) {
      const real = fs.realpathSync(file);
      if (!real.startsWith(fs.realpathSync(root) + path.sep)) throw new FairioError('INVALID_ARGUMENT', `refused: "${source}" leads outside the model package`, { path: descriptionPath });
    }
    return file;
  };
  const pkg: ModelPackage = {
    location,
    descriptionPath,
    descriptionSha256: sha256Of(bytes),
    packageSha256: extra.packageSha256,
    document: parseDescription(bytes, descriptionPath),
    async sha256(source) {
      if (isRemote(source)) return undefined;
      const file = resolve(source);
      return fs.existsSync(file) && fs.statSync(file).isFile() ? sha256File(file) : undefined;
    },
    async read(source) {
      return fs.readFileSync(await pkg.localPath(source));
    },
    async localPath(source, sha256) {
      if (isRemote(source)) return (await download(source, {}, sha256)).file;
      const file = resolve(source);
      if (!fs.existsSync(file)) throw new NotFoundError(`"${source}" is not in the model package`, { path: root });
      return file;
    },
  };
  return pkg;
}

async function zipPackage(location: string, zipFile: string, options: OpenOptions): Promise<ModelPackage> {
  const sha256 = await sha256File(zipFile);
  const folder = path.join(cacheRoot(options), 'packages', sha256);
  if (!fs.existsSync(folder)) await extractZip(zipFile, folder, options);
  return localPackage(location, findDescription(folder), { packageSha256: sha256 });
}

/** A description served over http(s); its files are fetched relative to it, on demand, into the cache. */
async function remotePackage(url: string, options: OpenOptions): Promise<ModelPackage> {
  const { file, sha256 } = await download(url, options);
  const bytes = fs.readFileSync(file);
  const pkg: ModelPackage = {
    location: url,
    descriptionPath: url,
    descriptionSha256: sha256,
    document: parseDescription(bytes, url),
    async sha256(source) {
      if (isRemote(source) || unsafePathReason(source)) return undefined;
      try {
        return await sha256File(await pkg.localPath(source));
      } catch (e) {
        if (e instanceof NotFoundError) return undefined;
        throw e;
      }
    },
    async read(source) {
      return fs.readFileSync(await pkg.localPath(source));
    },
    async localPath(source, expected) {
      const reason = unsafePathReason(source);
      if (reason) throw new FairioError('INVALID_ARGUMENT', `refused: ${reason}`, { path: url });
      return (await download(new URL(source, url).href, options, expected)).file;
    },
  };
  return pkg;
}

/** Open a model: folder, description file, `.zip`, or http(s) URL of a description or a zip. */
export async function openModelPackage(location: string, options: OpenOptions = {}): Promise<ModelPackage> {
  if (isUrl(location)) {
    if (/\.zip([?#].*)?$/i.test(location)) {
      const { file } = await download(location, options);
      return zipPackage(location, file, options);
    }
    return remotePackage(location, options);
  }
  if (!fs.existsSync(location)) throw new NotFoundError('no model package here (expected a folder, a .yaml description, a .zip or an http(s) URL)', { path: location });
  const stat = fs.statSync(location);
  if (stat.isDirectory()) return localPackage(location, findDescription(location));
  if (/\.zip$/i.test(location)) return zipPackage(location, location, options);
  return localPackage(location, location);
}
