/**
 * Descriptions name the exact format version they were written for
 * (0.4.0 … 0.4.10, 0.5.0 …); the published JSON Schemas describe the newest
 * patch of each minor version. Before schema validation a description is
 * brought to that patch the way bioimageio.spec does it for 0.4 (root
 * `dependencies` move into the PyTorch weights, `parent: {uri}` becomes a
 * string, slashes leave names, 'https://doi.org/' prefixes go) — pure data
 * edits on a copy, never on the caller's object.
 */
type Doc = Record<string, unknown>;
const isObject = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v);

export function parseVersion(v: unknown): [number, number, number] | undefined {
  const m = typeof v === 'string' ? /^(\d+)\.(\d+)\.(\d+)$/.exec(v) : null;
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

const compare = (a: number[], b: number[]) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

function removeSlashes(doc: Doc): void {
  const clean = (v: unknown) => (typeof v === 'string' ? v.replace(/[/\\]/g, '') : v);
  doc.name = clean(doc.name);
  for (const group of ['authors', 'maintainers']) {
    if (Array.isArray(doc[group])) doc[group] = (doc[group] as unknown[]).map((p) => (isObject(p) ? { ...p, name: clean(p.name) } : p));
  }
}

function removeDoiAndGithubPrefixes(doc: Doc): void {
  if (Array.isArray(doc.cite)) {
    doc.cite = doc.cite.map((c) => (isObject(c) && typeof c.doi === 'string' ? { ...c, doi: c.doi.replace(/^(https:\/\/doi\.org\/|http:\/\/dx\.doi\.org\/)/, '') } : c));
  }
  for (const group of ['authors', 'maintainers']) {
    if (!Array.isArray(doc[group])) continue;
    doc[group] = (doc[group] as unknown[]).map((p) => (isObject(p) && typeof p.github_user === 'string' ? { ...p, github_user: p.github_user.replace(/^https:\/\/github\.com\//, '') } : p));
  }
}

/**
 * A copy of `doc` at `target` (the schema's format version), or the reason
 * it cannot be brought there (another minor version, an unparsable version).
 */
export function upgradeToSchemaVersion(doc: Doc, target: string): { doc: Doc; note?: string } | { problem: string } {
  const from = parseVersion(doc.format_version);
  const to = parseVersion(target)!;
  if (!from) return { problem: `format_version ${JSON.stringify(doc.format_version)} is not a version like "0.5.4"` };
  if (from[0] !== to[0] || from[1] !== to[1]) return { problem: `format_version ${doc.format_version} is not ${to[0]}.${to[1]}.x` };
  const copy = structuredClone(doc);
  const version = () => parseVersion(copy.format_version)!;
  if (to[1] === 4) {
    if (compare(version(), [0, 4, 1]) < 0) {
      const deps = copy.dependencies;
      delete copy.dependencies;
      const pytorch = isObject(copy.weights) ? copy.weights.pytorch_state_dict : undefined;
      if (deps && isObject(pytorch)) pytorch.dependencies = deps;
    }
    if (compare(version(), [0, 4, 5]) < 0 && isObject(copy.parent) && 'uri' in copy.parent) copy.parent = copy.parent.uri;
    if (compare(version(), [0, 4, 7]) < 0) removeSlashes(copy);
    if (compare(version(), [0, 4, 10]) < 0) {
      const config = isObject(copy.config) ? copy.config : undefined;
      const bconfig = config && isObject(config.bioimageio) ? config.bioimageio : undefined;
      if (bconfig?.nickname !== undefined) copy.id = bconfig.nickname;
      if (bconfig?.nickname_icon !== undefined) copy.id_emoji = bconfig.nickname_icon;
    }
    removeDoiAndGithubPrefixes(copy);
  }
  const newer = compare(version(), to) > 0;
  copy.format_version = target;
  return { doc: copy, note: newer ? `format_version ${doc.format_version} is newer than the ${target} schema fairio validates against` : undefined };
}
