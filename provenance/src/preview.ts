/**
 * `ro-crate-preview.html`: the crate for a person, in one self-contained page
 * that opens in any browser without a network: what ran, when, with which
 * software, on what data and parameters, producing what (with thumbnails of
 * OME-Zarr images), what failed and why, and every file with its checksum.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { asArray, idsOf, typesOf, type CrateJson, type Entity } from './builder.js';
import { idToPath } from './data-entity.js';
import { renderThumbnail } from './thumbnail.js';
import { METADATA_FILE, NGFF_FORMAT } from './vocabulary.js';

const ACTIONS = ['CreateAction', 'ActivateAction', 'UpdateAction', 'OrganizeAction', 'ControlAction'];
const MAX_THUMBNAILS = 24;

function escape(text: unknown): string {
  return String(text ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function bytes(n: unknown): string {
  let v = Number(n);
  if (!Number.isFinite(v)) return '';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

function duration(start: unknown, end: unknown): string {
  const ms = Date.parse(String(end)) - Date.parse(String(start));
  if (!Number.isFinite(ms)) return '';
  return ms < 1000 ? `${ms} ms` : ms < 120_000 ? `${(ms / 1000).toFixed(1)} s` : `${(ms / 60_000).toFixed(1)} min`;
}

function link(url: unknown, text: unknown): string {
  const u = String(url ?? '');
  return /^https?:\/\//.test(u) ? `<a href="${escape(u)}">${escape(text)}</a>` : escape(text);
}

/** Render the preview page of a crate whose files are in `dir`. */
export async function renderPreview(json: CrateJson, dir: string): Promise<string> {
  const byId = new Map(json['@graph'].map((e) => [e['@id'], e]));
  const get = (id: string) => byId.get(id);
  const follow = (e: Entity | undefined, p: string) => idsOf(e?.[p]).map((id) => get(id) ?? ({ '@id': id, '@type': 'Thing' } as Entity));
  const rootId = idsOf(get(METADATA_FILE)?.about)[0] ?? './';
  const root = get(rootId) ?? ({ '@id': rootId, '@type': 'Dataset' } as Entity);
  const thumbnails = new Map<string, string>();

  async function thumbnailOf(entity: Entity): Promise<string> {
    if (!idsOf(entity.encodingFormat).includes(NGFF_FORMAT) || entity['@id'].startsWith('#')) return '';
    if (!thumbnails.has(entity['@id'])) {
      if (thumbnails.size >= MAX_THUMBNAILS) return '';
      const folder = entity['@id'] === rootId ? dir : path.join(dir, idToPath(entity['@id']));
      const png = fs.existsSync(folder) ? await renderThumbnail(folder) : undefined;
      thumbnails.set(entity['@id'], png ? `<img class="thumb" alt="thumbnail of ${escape(entity.name ?? entity['@id'])}" src="data:image/png;base64,${png.toString('base64')}">` : '');
    }
    return thumbnails.get(entity['@id'])!;
  }

  const dataRow = async (e: Entity) => {
    const isParameter = typesOf(e).includes('PropertyValue');
    if (isParameter) return `<li><span class="param">${escape(e.name)}</span> = <code>${escape(e.value)}</code>${e.unitText ? ` ${escape(e.unitText)}` : ''}</li>`;
    const where = e['@id'].startsWith('#') ? ' (outside this crate)' : '';
    const href = e['@id'].startsWith('#') || e['@id'] === rootId ? '' : ` href="${escape(e['@id'])}"`;
    return `<li>${await thumbnailOf(e)}<a${href}>${escape(e.name ?? e['@id'])}</a>${where} <span class="meta">${escape(typesOf(e).join(', '))}${e.contentSize ? `, ${bytes(e.contentSize)}` : ''}${e.sha256 ? `, sha256 <code title="${escape(e.sha256)}">${escape(String(e.sha256).slice(0, 12))}…</code>` : ''}</span></li>`;
  };

  const software = (e: Entity | undefined): string => {
    if (!e) return '';
    const version = e.softwareVersion ?? e.version;
    const engines = follow(e, 'softwareRequirements').map((r) => `${link(r.url ?? r['@id'], r.name ?? r['@id'])} ${escape(r.softwareVersion ?? r.version ?? '')}`);
    return `${link(e.url ?? e['@id'], e.name ?? e['@id'])}${version ? ` ${escape(version)}` : ''}${engines.length ? ` <span class="meta">on ${engines.join(', ')}</span>` : ''}`;
  };

  const actions = json['@graph'].filter((e) => typesOf(e).some((t) => ACTIONS.includes(t))).sort((a, b) => String(a.startTime ?? '').localeCompare(String(b.startTime ?? '')));
  const actionBlocks: string[] = [];
  for (const action of actions) {
    const failed = String(action.actionStatus ?? '').endsWith('FailedActionStatus');
    const agents = follow(action, 'agent').map((a) => link(a['@id'].startsWith('http') ? a['@id'] : a.url, a.name ?? a['@id']));
    const inputs = await Promise.all(follow(action, 'object').map(dataRow));
    const outputs = await Promise.all(follow(action, 'result').map(dataRow));
    const instrument = follow(action, 'instrument')[0];
    actionBlocks.push(`<section class="action${failed ? ' failed' : ''}">
<h3>${escape(action.name ?? action['@id'])} <span class="status">${failed ? 'failed' : action.actionStatus ? 'completed' : ''}</span> <span class="meta">${escape(typesOf(action).join(', '))}</span></h3>
${action.description && action.description !== action.name ? `<p>${escape(action.description)}</p>` : ''}
<dl>
<dt>when</dt><dd>${escape(action.startTime ?? '?')} → ${escape(action.endTime ?? '?')} ${action.startTime && action.endTime ? `<span class="meta">(${duration(action.startTime, action.endTime)})</span>` : ''}</dd>
<dt>with</dt><dd>${instrument ? (typesOf(instrument).includes('HowToStep') ? escape(instrument.name ?? instrument['@id']) : software(instrument)) : '?'}</dd>
${agents.length ? `<dt>by</dt><dd>${agents.join(', ')}</dd>` : ''}
${inputs.length ? `<dt>on</dt><dd><ul>${inputs.join('')}</ul></dd>` : ''}
${outputs.length ? `<dt>producing</dt><dd><ul>${outputs.join('')}</ul></dd>` : ''}
${failed && action.error ? `<dt>error</dt><dd class="error">${escape(action.error)}</dd>` : ''}
</dl></section>`);
  }

  // What the image is (FAIR Image Object crates).
  const facts: string[] = [];
  for (const acquisition of follow(root, 'resultOf')) {
    for (const method of idsOf(acquisition.fbbi_id)) facts.push(`<dt>imaging method</dt><dd>${escape(method)}</dd>`);
    for (const specimen of follow(acquisition, 'specimen')) {
      for (const sample of follow(specimen, 'biosample')) for (const taxon of idsOf(sample.organism_classification)) facts.push(`<dt>organism</dt><dd>${escape(taxon)}</dd>`);
    }
  }
  for (const pv of follow(root, 'additionalProperty')) facts.push(`<dt>${escape(pv.name)}</dt><dd>${escape(pv.value)}${pv.unitText ? ` ${escape(pv.unitText)}` : ''}</dd>`);

  const workflows = follow(root, 'mainEntity').filter((e) => typesOf(e).includes('ComputationalWorkflow'));
  const workflowBlocks = workflows.map((w) => {
    const steps = follow(w, 'step').sort((a, b) => Number(a.position ?? 0) - Number(b.position ?? 0));
    return `<section><h3>${escape(w.name ?? w['@id'])}</h3><ol>${steps.map((s) => `<li>${escape(s.name ?? s['@id'])}: ${follow(s, 'workExample').map((t) => software(t)).join(', ')}</li>`).join('')}</ol></section>`;
  });

  const parts = follow(root, 'hasPart');
  const partRows = await Promise.all(parts.map(dataRow));
  const licence = asArray(root.license as unknown[]).map((l) => (typeof l === 'string' ? link(l, l) : link(idsOf(l)[0], get(idsOf(l)[0])?.name ?? idsOf(l)[0])));
  const profiles = follow(root, 'conformsTo').map((p) => link(p['@id'], p.name ?? p['@id']));
  const rootThumb = await thumbnailOf(root);

  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(root.name ?? 'RO-Crate')}</title>
<style>
body{font:15px/1.45 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{margin-bottom:.2rem}h2{border-bottom:1px solid #ddd;padding-bottom:.2rem;margin-top:2rem}
.meta{color:#666;font-size:.9em}.status{font-size:.75em;padding:.1em .5em;border-radius:.6em;background:#d9f2d9}
.failed .status{background:#f7d4d4}.action{border:1px solid #ddd;border-radius:.5rem;padding:.2rem 1rem;margin:1rem 0}
.failed{border-color:#e0a0a0}.error{color:#a00;white-space:pre-wrap}dl{display:grid;grid-template-columns:7rem 1fr;gap:.2rem .8rem}
dt{color:#555}dd{margin:0}ul{margin:0;padding-left:1.1rem}code{font-size:.9em}.thumb{display:block;max-width:192px;margin:.3rem 0;image-rendering:pixelated;border:1px solid #ccc}
.param{font-family:monospace}
</style></head><body>
<h1>${escape(root.name ?? 'RO-Crate')}</h1>
<p>${escape(root.description ?? '')}</p>
${rootThumb}
<dl>
${licence.length ? `<dt>licence</dt><dd>${licence.join(', ')}</dd>` : ''}
${root.datePublished ? `<dt>published</dt><dd>${escape(root.datePublished)}</dd>` : ''}
${follow(root, 'author').length ? `<dt>authors</dt><dd>${follow(root, 'author').map((a) => link(a['@id'].startsWith('http') ? a['@id'] : a.url, a.name ?? a['@id'])).join(', ')}</dd>` : ''}
${profiles.length ? `<dt>conforms to</dt><dd>${profiles.join(', ')}</dd>` : ''}
${facts.join('\n')}
</dl>
${workflowBlocks.length ? `<h2>Workflow</h2>${workflowBlocks.join('')}` : ''}
${actionBlocks.length ? `<h2>What ran</h2>${actionBlocks.join('\n')}` : ''}
${partRows.length ? `<h2>Files</h2><ul>${partRows.join('')}</ul>` : ''}
<p class="meta">Machine-readable metadata: <a href="${METADATA_FILE}">${METADATA_FILE}</a> (RO-Crate 1.1). Written by fairio.</p>
</body></html>
`;
}
