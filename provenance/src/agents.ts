/**
 * People and organisations who run analyses or publish data: `Person` and
 * `Organization` entities identified by ORCID (people) or ROR (organisations)
 * where given, else by a local `#` identifier derived from the name.
 */
import { FairioError } from '@fairio/ngff/browser';
import type { CrateBuilder, Entity, Ref } from './builder.js';
import { ref } from './builder.js';

export interface Person {
  type?: 'Person';
  name: string;
  /** ORCID iD, as 0000-0002-1825-0097 or https://orcid.org/0000-0002-1825-0097. */
  orcid?: string;
  email?: string;
  affiliation?: Organization;
}

export interface Organization {
  type: 'Organization';
  name: string;
  /** ROR id or any URL identifying the organisation. */
  url?: string;
}

export type Agent = Person | Organization;

const ORCID = /^(?:https?:\/\/orcid\.org\/)?(\d{4}-\d{4}-\d{4}-\d{3}[\dX])$/;

/** The canonical ORCID URL; throws INVALID_ARGUMENT when the iD is malformed or its check digit is wrong. */
export function orcidUrl(orcid: string): string {
  const match = ORCID.exec(orcid.trim());
  if (!match) throw new FairioError('INVALID_ARGUMENT', `"${orcid}" is not an ORCID iD (expected 0000-0000-0000-0000)`);
  const digits = match[1].replace(/-/g, '');
  // ISO 7064 MOD 11-2, as ORCID specifies.
  let total = 0;
  for (const d of digits.slice(0, -1)) total = (total + Number(d)) * 2;
  const check = (12 - (total % 11)) % 11;
  const expected = check === 10 ? 'X' : String(check);
  if (digits.at(-1) !== expected) throw new FairioError('INVALID_ARGUMENT', `ORCID iD ${match[1]} has a wrong check digit`);
  return `https://orcid.org/${match[1]}`;
}

function localId(prefix: string, name: string): string {
  return `#${prefix}-${name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'unnamed'}`;
}

export function agentId(agent: Agent): string {
  if (agent.type === 'Organization') return agent.url ?? localId('organization', agent.name);
  return agent.orcid ? orcidUrl(agent.orcid) : localId('person', agent.name);
}

/**
 * Parse "Name", "Name <ORCID>" or "Name, ORCID" (as given on the command
 * line) into a Person.
 */
export function parsePerson(text: string): Person {
  const match = /^\s*(.*?)\s*(?:<([^>]+)>|,\s*((?:https?:\/\/orcid\.org\/)?\d{4}-\d{4}-\d{4}-\d{3}[\dX]))?\s*$/.exec(text);
  const name = match?.[1] ?? '';
  if (!name) throw new FairioError('INVALID_ARGUMENT', `"${text}" names no one (use "Name" or "Name <ORCID>")`);
  const orcid = match?.[2] ?? match?.[3];
  if (orcid) orcidUrl(orcid);
  return { name, ...(orcid ? { orcid } : {}) };
}

/** Add a Person or Organization (and a person's affiliation) to a crate. */
export function addAgent(builder: CrateBuilder, agent: Agent): Ref {
  const id = agentId(agent);
  const entity: Entity = { '@id': id, '@type': agent.type ?? 'Person', name: agent.name };
  if (agent.type === 'Organization') {
    if (agent.url) entity.url = agent.url;
  } else {
    if (agent.orcid) entity.identifier = id;
    if (agent.email) entity.email = agent.email;
    if (agent.affiliation) entity.affiliation = addAgent(builder, agent.affiliation);
  }
  builder.put(entity);
  return ref(id);
}
