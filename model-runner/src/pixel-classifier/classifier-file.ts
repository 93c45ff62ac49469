/**
 * The classifier file (`.fairio-rf`) on disk: written atomically, read and
 * checked (classifier-format.ts holds the format itself), with its sha256;
 * and checksums of the training inputs.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FairioError, isUrl, writeAtomically } from '@fairio/ngff';
import { classifierDocument, parseClassifier, type PixelClassifier } from './classifier-format.js';

export * from './classifier-format.js';

/** Write the classifier atomically; returns the file's sha256. */
export async function writeClassifier(file: string, classifier: PixelClassifier, options: { overwrite?: boolean } = {}): Promise<string> {
  const text = `${JSON.stringify(classifierDocument(classifier))}\n`;
  await writeAtomically(file, async (temp) => fs.promises.writeFile(temp, text), { overwrite: options.overwrite });
  return createHash('sha256').update(text).digest('hex');
}

/** Read and check a classifier file; returns it with its sha256. */
export async function readClassifier(file: string): Promise<{ classifier: PixelClassifier; sha256: string }> {
  let text: string;
  try {
    text = await fs.promises.readFile(file, 'utf8');
  } catch (error) {
    throw new FairioError('NOT_FOUND', `cannot read the classifier (${(error as Error).message})`, { path: file, cause: error });
  }
  return { classifier: parseClassifier(text, file), sha256: createHash('sha256').update(text).digest('hex') };
}

/**
 * sha256 of a file, or of a folder (every file, by sorted relative path);
 * '' for a URL (a remote store is not downloaded to be hashed).
 */
export async function checksumPath(location: string): Promise<string> {
  if (isUrl(location)) return '';
  const stat = await fs.promises.stat(location);
  if (stat.isFile()) {
    const hash = createHash('sha256');
    for await (const chunk of fs.createReadStream(location)) hash.update(chunk as Buffer);
    return hash.digest('hex');
  }
  const files: string[] = [];
  const walk = async (dir: string) => {
    for (const entry of await fs.promises.readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile()) files.push(full);
    }
  };
  await walk(location);
  files.sort();
  const hash = createHash('sha256');
  for (const file of files) hash.update(`${path.relative(location, file).split(path.sep).join('/')}\0${await checksumPath(file)}\n`);
  return hash.digest('hex');
}
