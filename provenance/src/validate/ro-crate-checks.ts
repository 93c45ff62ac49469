/** RO-Crate 1.1 checks: descriptor, context, root dataset, data entities, flattening, terms. */
import * as fs from 'node:fs';
import { hasType, idsOf, typesOf, type Entity } from '../builder.js';
import { idToPath } from '../data-entity.js';
import type { Crate } from '../reader.js';
import { isDefinedTerm } from '../bundled-context.js';
import { METADATA_FILE, ROCRATE_CONTEXT_URL, ROCRATE_SPEC } from '../vocabulary.js';
import type { CrateCheck } from './types.js';

const ISO_DATE = /^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?)?)?$/;

/** A data entity: in the crate (relative `@id`), a File or a Dataset other than the root. */
export function isLocalData(crate: Crate, e: Entity): boolean {
  const id = e['@id'];
  if (id === crate.rootId || id.startsWith('#') || /^[a-z][a-z0-9+.-]*:/i.test(id)) return false;
  return hasType(e, 'File') || hasType(e, 'Dataset');
}

function reachableFromRoot(crate: Crate): Set<string> {
  const seen = new Set<string>([crate.rootId]);
  const queue = [crate.rootId];
  while (queue.length) {
    for (const id of idsOf(crate.get(queue.shift()!)?.hasPart)) {
      if (!seen.has(id)) {
        seen.add(id);
        queue.push(id);
      }
    }
  }
  return seen;
}

export const roCrateChecks: CrateCheck[] = [
  {
    code: 'CRATE_CONTEXT',
    profile: 'ro-crate',
    description: 'The @context names the RO-Crate 1.1 context',
    run(crate, report) {
      const context = crate.json['@context'];
      const list = Array.isArray(context) ? context : [context];
      if (!list.includes(ROCRATE_CONTEXT_URL)) report('error', `@context does not include ${ROCRATE_CONTEXT_URL}`);
    },
  },
  {
    code: 'CRATE_DESCRIPTOR',
    profile: 'ro-crate',
    description: 'The metadata descriptor is a CreativeWork about the root, conforming to RO-Crate 1.1',
    run(crate, report) {
      const d = crate.get(METADATA_FILE)!;
      if (!hasType(d, 'CreativeWork')) report('error', 'the metadata descriptor must have @type CreativeWork', METADATA_FILE);
      if (!idsOf(d.conformsTo).includes(ROCRATE_SPEC)) report('error', `the metadata descriptor must conform to ${ROCRATE_SPEC}`, METADATA_FILE);
    },
  },
  {
    code: 'ROOT_DATASET',
    profile: 'ro-crate',
    description: 'The root data entity is a Dataset whose @id ends with "/"',
    run(crate, report) {
      if (!hasType(crate.root, 'Dataset')) report('error', 'the root data entity must be a Dataset', crate.rootId);
      if (!crate.rootId.endsWith('/')) report('error', 'the root data entity @id must end with "/"', crate.rootId);
    },
  },
  {
    code: 'ROOT_PROPERTIES',
    profile: 'ro-crate',
    description: 'The root has name, description, license and an ISO 8601 datePublished',
    run(crate, report) {
      const root = crate.root;
      for (const p of ['name', 'description', 'license', 'datePublished']) if (root[p] === undefined || root[p] === '') report('error', `the root data entity has no ${p}`, crate.rootId);
      if (root.datePublished !== undefined && !ISO_DATE.test(String(root.datePublished))) report('error', `datePublished "${String(root.datePublished)}" is not an ISO 8601 date`, crate.rootId);
      if (root.author === undefined) report('warning', 'the root data entity should have an author', crate.rootId);
    },
  },
  {
    code: 'DATA_ENTITY_TYPE',
    profile: 'ro-crate',
    description: 'Everything the root has as part is a File or a Dataset',
    run(crate, report) {
      for (const id of idsOf(crate.root.hasPart)) {
        const e = crate.get(id);
        if (e && !hasType(e, 'File') && !hasType(e, 'Dataset')) report('error', `hasPart points to ${id}, which is neither File nor Dataset`, id);
      }
    },
  },
  {
    code: 'DATA_ENTITY_LINKED',
    profile: 'ro-crate',
    description: 'Every data entity in the crate is reachable from the root through hasPart',
    run(crate, report) {
      const reachable = reachableFromRoot(crate);
      for (const e of crate.entities) if (isLocalData(crate, e) && !reachable.has(e['@id'])) report('error', `data entity ${e['@id']} is not linked from the root through hasPart`, e['@id']);
    },
  },
  {
    code: 'DATA_ENTITY_EXISTS',
    profile: 'ro-crate',
    description: 'Data entities in the crate exist as files or folders',
    run(crate, report) {
      for (const e of crate.entities) {
        if (!isLocalData(crate, e)) continue;
        const relative = idToPath(e['@id']);
        const present =
          crate.kind === 'folder'
            ? fs.existsSync(crate.resolvePath(e['@id']))
            : (crate.zipEntries ?? []).some((n) => n === relative || n.startsWith(`${relative}/`));
        if (!present) report('warning', `data entity ${e['@id']} is not in the crate`, e['@id']);
      }
    },
  },
  {
    code: 'FLATTENED',
    profile: 'ro-crate',
    description: 'The graph is flat: entities refer to each other by {"@id"} only',
    run(crate, report) {
      for (const e of crate.entities) {
        for (const [p, value] of Object.entries(e)) {
          for (const v of Array.isArray(value) ? value : [value]) {
            if (v && typeof v === 'object' && '@id' in v && Object.keys(v).length > 1) report('error', `property "${p}" nests entity ${(v as Entity)['@id']}; RO-Crate metadata is flattened`, e['@id']);
          }
        }
      }
    },
  },
  {
    code: 'UNDEFINED_TERM',
    profile: 'ro-crate',
    description: 'Every property and type is defined by the context',
    run(crate, report) {
      const context = crate.json['@context'];
      const undefinedTerms = new Set<string>();
      for (const e of crate.entities) {
        for (const p of Object.keys(e)) if (!isDefinedTerm(p, context)) undefinedTerms.add(p);
        for (const t of typesOf(e)) if (!isDefinedTerm(t, context)) undefinedTerms.add(t);
      }
      for (const term of undefinedTerms) report('warning', `"${term}" is not defined by the @context`);
    },
  },
];
