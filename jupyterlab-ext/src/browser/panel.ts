/**
 * The NGFF browser sidebar: a field to open an OME-Zarr by server path or
 * http(s) URL, the hierarchy of what was opened, the metadata of the
 * selected node, and a message line for anything that went wrong. Opening
 * an image, label or field is delegated (the plugin opens a viewer tab).
 */
import { Widget } from '@lumino/widgets';
import { Signal, type ISignal } from '@lumino/signaling';
import { describeHierarchy, wellFields, type HierarchyNode, type ImageMetadata, type PlateMetadata } from './hierarchy.js';
import { jupyterToken, openLocation, resolveLocation, type StoreLocation } from '../location.js';
import type { NamedStore } from '@fairio/ngff/browser';
import { el } from '../dom.js';

export interface OpenRequest {
  location: StoreLocation;
  /** Group path inside the store ('' for the root). */
  path: string;
  kind: 'image' | 'plate';
}

export class NgffBrowserPanel extends Widget {
  private readonly input: HTMLInputElement;
  private readonly messageNode: HTMLElement;
  private readonly treeNode: HTMLElement;
  private readonly metadataNode: HTMLElement;
  private readonly openRequested$ = new Signal<this, OpenRequest>(this);
  private location: StoreLocation | undefined;
  private store: NamedStore | undefined;
  private generation = 0;

  constructor() {
    super();
    this.id = 'fairio-ngff-browser';
    this.addClass('jp-FairioBrowser');
    this.title.caption = 'NGFF browser (OME-Zarr)';
    const header = el('div', 'jp-FairioBrowser-header', 'NGFF browser');
    const form = el('form', 'jp-FairioBrowser-open');
    this.input = el('input', 'jp-mod-styled jp-FairioBrowser-location');
    this.input.placeholder = 'server path or https:// URL of an OME-Zarr';
    this.input.setAttribute('aria-label', 'OME-Zarr location');
    const button = el('button', 'jp-mod-styled jp-mod-accept jp-FairioBrowser-openButton', 'Open');
    button.type = 'submit';
    form.append(this.input, button);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.open(this.input.value);
    });
    this.messageNode = el('div', 'jp-FairioBrowser-message');
    this.messageNode.setAttribute('role', 'status');
    this.treeNode = el('div', 'jp-FairioBrowser-tree');
    this.metadataNode = el('div', 'jp-FairioBrowser-metadata');
    this.node.append(header, form, this.messageNode, this.treeNode, this.metadataNode);
  }

  /** Emitted when the user asks to view an image or a plate. */
  get openRequested(): ISignal<this, OpenRequest> {
    return this.openRequested$;
  }

  /** The location last opened, for restoring the panel. */
  get currentLocation(): string | undefined {
    return this.location?.label;
  }

  /** Show a message in the panel ('error' for problems the user must act on). */
  showMessage(text: string, level: 'info' | 'error' = 'info'): void {
    this.messageNode.textContent = text;
    this.messageNode.dataset.level = level;
  }

  /**
   * Open a store and list it. Resolves to the tree's root, or undefined when
   * it is not OME-Zarr or cannot be read (the reason is in the panel).
   */
  async open(input: string): Promise<HierarchyNode | undefined> {
    const generation = ++this.generation;
    if (!input.trim()) {
      this.showMessage('Type a path on the server or an http(s) URL of an OME-Zarr.', 'error');
      return undefined;
    }
    this.input.value = input.trim();
    const location = resolveLocation(input);
    const store = openLocation(location, location.jupyter ? jupyterToken() : '');
    this.treeNode.replaceChildren();
    this.metadataNode.replaceChildren();
    this.showMessage(`Opening ${location.label} …`);
    let root: HierarchyNode;
    try {
      root = await describeHierarchy(store);
    } catch (error) {
      if (generation === this.generation) this.showMessage(`Cannot open ${location.label}: ${(error as Error).message}`, 'error');
      return undefined;
    }
    if (generation !== this.generation) return undefined;
    this.location = location;
    this.store = store;
    const problems = countErrors(root);
    this.showMessage(problems ? `${location.label}: ${problems} part${problems > 1 ? 's' : ''} could not be read (marked below)` : `${location.label}`, problems ? 'error' : 'info');
    this.treeNode.append(this.renderNode(root, 0));
    this.select(root);
    return root;
  }

  private renderNode(node: HierarchyNode, depth: number): HTMLElement {
    const item = el('div', `jp-FairioBrowser-node jp-FairioBrowser-${node.kind}`);
    item.dataset.kind = node.kind;
    const row = el('div', 'jp-FairioBrowser-row');
    row.style.paddingLeft = `${depth * 12 + 4}px`;
    const label = el('span', 'jp-FairioBrowser-label', node.label);
    row.append(label);
    if (node.detail) row.append(el('span', 'jp-FairioBrowser-detail', node.detail));
    row.title = node.detail ? `${node.label}: ${node.detail}` : node.label;
    item.append(row);
    const children = el('div', 'jp-FairioBrowser-children');
    for (const child of node.children) children.append(this.renderNode(child, depth + 1));
    item.append(children);
    row.addEventListener('click', () => {
      this.select(node);
      if (node.kind === 'well' && node.path !== undefined && !children.hasChildNodes() && this.store) {
        void wellFields(this.store, node.path).then(
          (fields) => fields.forEach((f) => children.append(this.renderNode(f, depth + 1))),
          (e: unknown) => this.showMessage(`Cannot open well ${node.path}: ${(e as Error).message}`, 'error'),
        );
      }
    });
    row.addEventListener('dblclick', () => this.request(node));
    if (node.path !== undefined && node.kind !== 'well') {
      const view = el('button', 'jp-FairioBrowser-view', node.kind === 'plate' ? 'grid' : 'view');
      view.title = node.kind === 'plate' ? 'Show the plate grid' : 'Open in the viewer';
      view.addEventListener('click', (event) => {
        event.stopPropagation();
        this.request(node);
      });
      row.append(view);
    }
    return item;
  }

  private request(node: HierarchyNode): void {
    if (!this.location || node.path === undefined || node.kind === 'well') return;
    this.openRequested$.emit({ location: this.location, path: node.path, kind: node.kind === 'plate' ? 'plate' : 'image' });
  }

  private select(node: HierarchyNode): void {
    this.metadataNode.replaceChildren(renderMetadata(node));
  }
}

function countErrors(node: HierarchyNode): number {
  return (node.kind === 'error' ? 1 : 0) + node.children.reduce((n, c) => n + countErrors(c), 0);
}

function table(rows: string[][], head: string[]): HTMLTableElement {
  const t = el('table', 'jp-FairioBrowser-table');
  const tr = el('tr');
  head.forEach((h) => tr.append(el('th', undefined, h)));
  t.append(tr);
  for (const r of rows) {
    const row = el('tr');
    r.forEach((c) => row.append(el('td', undefined, c)));
    t.append(row);
  }
  return t;
}

function renderMetadata(node: HierarchyNode): HTMLElement {
  const box = el('div');
  box.append(el('h3', undefined, node.label));
  if (node.kind === 'error') box.append(el('p', 'jp-FairioBrowser-error', node.detail ?? ''));
  const m = node.metadata;
  if (m?.type === 'image') renderImageMetadata(box, m);
  if (m?.type === 'plate') renderPlateMetadata(box, m);
  return box;
}

function renderImageMetadata(box: HTMLElement, m: ImageMetadata): void {
  box.append(el('p', undefined, `OME-NGFF ${m.ngffVersion} on Zarr v${m.zarrFormat}${m.isLabel ? ', label image' : ''}`));
  box.append(table(m.axes.map((a) => [a.name, a.type ?? '', a.unit ?? '']), ['axis', 'type', 'unit']));
  box.append(table(m.levels.map((l, i) => [String(i), l.path, l.shape?.join(' × ') ?? '—', l.chunks?.join(' × ') ?? '—', l.dtype ?? l.error ?? '', l.scale?.map((s) => +s.toPrecision(4)).join(', ') ?? '']), ['level', 'path', 'shape', 'chunks', 'dtype', 'scale']));
  const channels = m.omero?.channels ?? [];
  if (channels.length) {
    box.append(table(channels.map((c, i) => [String(i), c.label ?? '', c.color ? `#${c.color}` : '', c.window ? `${c.window.start} – ${c.window.end}` : '']), ['channel', 'label', 'colour', 'window']));
  }
}

function renderPlateMetadata(box: HTMLElement, m: PlateMetadata): void {
  box.append(el('p', undefined, `OME-NGFF ${m.ngffVersion} HCS plate: ${m.rows.length} rows × ${m.columns.length} columns, ${m.wells} wells${m.fieldCount ? `, ${m.fieldCount} fields per well` : ''}`));
}
