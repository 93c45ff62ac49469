/**
 * The official OME-NGFF JSON schemas, read at run time from the shared
 * reference data (never copied into fairio) and compiled with Ajv.
 *
 * Where they live: `$FAIRIO_NGFF_SCHEMAS` when set, else
 * `<project root>/../shared/data/ngff`, where the project root is the folder
 * whose package.json declares the npm workspaces, found by walking up from
 * this module (so it works from `src/` under vitest and from `dist/`).
 * Every schema of a version is registered under its `$id` so that `$ref`s
 * between them resolve offline.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { Ajv as Ajv07 } from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { FairioError, NotFoundError } from '../errors.js';
import type { NgffVersion } from '../metadata/types.js';

// ajv-formats is CommonJS with its own copy of Ajv's types; under NodeNext its
// default import is the module object, so take `.default` when present.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: unknown) => unknown;

/** What a group's attributes describe; each kind has one upstream schema (`<kind>.schema`). */
export type SchemaKind = 'image' | 'label' | 'plate' | 'well' | 'bf2raw' | 'ome' | 'scene';

export type { ErrorObject, ValidateFunction };

/** Read a JSON file that may contain `//` comment lines (as some upstream examples do). */
export function parseJsonWithComments(text: string): unknown {
  const stripped = text
    .split(/\r?\n/)
    .filter((line) => !line.trimStart().startsWith('//'))
    .join('\n');
  return JSON.parse(stripped);
}

function findProjectRoot(start: string): string | undefined {
  let dir = start;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      try {
        const pkg = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { workspaces?: unknown };
        if (pkg.workspaces) return dir;
      } catch {
        // an unreadable package.json is not the root we are looking for; keep climbing
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The folder holding `0.4/`, `0.5/`, `0.6rc0/`…, or a FairioError saying where it was looked for. */
export function schemasRoot(): string {
  const fromEnv = process.env.FAIRIO_NGFF_SCHEMAS;
  if (fromEnv) {
    if (!fs.existsSync(fromEnv)) {
      throw new NotFoundError(`FAIRIO_NGFF_SCHEMAS points to a missing folder; it must hold the OME-NGFF schema folders (0.4, 0.5, 0.6rc0)`, { path: fromEnv });
    }
    return path.resolve(fromEnv);
  }
  const here = path.dirname(fileURLToPath(import.meta.url));
  const root = findProjectRoot(here);
  const candidate = root ? path.resolve(root, '..', 'shared', 'data', 'ngff') : undefined;
  if (!candidate || !fs.existsSync(candidate)) {
    throw new NotFoundError(
      `cannot find the OME-NGFF schemas: looked for ${candidate ?? '<project root>/../shared/data/ngff'}; ` +
        'set FAIRIO_NGFF_SCHEMAS to the folder that holds 0.4/, 0.5/ and 0.6rc0/',
    );
  }
  return candidate;
}

/** The folder of one version: `0.6` is served by the newest `0.6*` folder (e.g. `0.6rc0`). */
export function versionFolder(root: string, version: NgffVersion): string {
  const exact = path.join(root, version);
  if (fs.existsSync(path.join(exact, 'schemas'))) return exact;
  const candidates = fs
    .readdirSync(root)
    .filter((name) => name.startsWith(version) && fs.existsSync(path.join(root, name, 'schemas')))
    .sort();
  if (candidates.length === 0) {
    throw new NotFoundError(`no OME-NGFF ${version} schemas in ${root}`, { path: root });
  }
  return path.join(root, candidates[candidates.length - 1]);
}

interface LoadedSchemas {
  ajv: { getSchema(id: string): ValidateFunction | undefined };
  /** schema file stem (e.g. `strict_image`) → `$id` */
  idByName: Map<string, string>;
  folder: string;
}

const cache = new Map<string, LoadedSchemas>();

function loadVersion(version: NgffVersion): LoadedSchemas {
  const root = schemasRoot();
  const key = `${root}\0${version}`;
  const cached = cache.get(key);
  if (cached) return cached;

  const folder = versionFolder(root, version);
  const schemaDir = path.join(folder, 'schemas');
  const files = fs.readdirSync(schemaDir).filter((f) => f.endsWith('.schema') || f.endsWith('.schema.json')).sort();
  const schemas: Record<string, unknown>[] = [];
  const idByName = new Map<string, string>();
  let draft07 = false;
  for (const file of files) {
    let schema: Record<string, unknown>;
    try {
      schema = parseJsonWithComments(fs.readFileSync(path.join(schemaDir, file), 'utf8')) as Record<string, unknown>;
    } catch (error) {
      throw new FairioError('INVALID_JSON', `schema ${file} is not valid JSON`, { path: schemaDir, cause: error });
    }
    // draft-07 schemas name themselves with `id`; Ajv 8 only understands `$id`.
    if (typeof schema.id === 'string' && schema.$id === undefined) {
      schema = { ...schema, $id: schema.id };
      delete schema.id;
    }
    if (typeof schema.$schema === 'string' && schema.$schema.includes('draft-07')) draft07 = true;
    if (typeof schema.$id !== 'string') {
      throw new FairioError('INVALID_METADATA', `schema ${file} has no $id`, { path: schemaDir });
    }
    idByName.set(file.replace(/\.schema(\.json)?$/, ''), schema.$id);
    schemas.push(schema);
  }
  // The schemas carry quirks Ajv's strict mode rejects (e.g. minContains
  // without contains); they are the reference, so we accept them as written.
  const options = { strict: false, allErrors: true, validateSchema: false };
  const ajv = draft07 ? new Ajv07(options) : new Ajv2020(options);
  addFormats(ajv);
  for (const schema of schemas) ajv.addSchema(schema);

  const loaded: LoadedSchemas = { ajv, idByName, folder };
  cache.set(key, loaded);
  return loaded;
}

/**
 * The compiled upstream schema for one kind of group. With `strict`, the
 * `strict_<kind>` schema where upstream has one; otherwise the plain schema.
 * Returns undefined when the version has no schema for that kind (e.g. no
 * `scene` before 0.6).
 */
export function schemaValidator(version: NgffVersion, kind: SchemaKind, strict: boolean): { validate: ValidateFunction; id: string } | undefined {
  const loaded = loadVersion(version);
  const names = strict ? [`strict_${kind}`, kind] : [kind];
  for (const name of names) {
    const id = loaded.idByName.get(name);
    if (!id) continue;
    const validate = loaded.ajv.getSchema(id);
    if (validate) return { validate, id };
  }
  return undefined;
}

/** The schema folder actually used for a version (for reports and docs). */
export function schemaFolder(version: NgffVersion): string {
  return loadVersion(version).folder;
}
