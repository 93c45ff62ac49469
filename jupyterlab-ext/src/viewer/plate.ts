/**
 * The HCS plate grid: one cell per well (rows × columns as the plate
 * metadata names them) with a thumbnail of the well's first field, drawn from
 * its coarsest pyramid level with the channels' OMERO colours and windows.
 * Clicking a well opens that field in the viewer. Wells that cannot be read
 * say why in their cell; the others are still shown.
 */
import { Widget } from '@lumino/widgets';
import { Signal, type ISignal } from '@lumino/signaling';
import { openGroup, type NamedStore } from '@fairio/ngff/browser';
import { jupyterToken, openLocation, type StoreLocation } from '../location.js';
import { ChunkLoader } from './loader.js';
import { chunkPosition, indexAtLevel, openLayer } from './layer.js';
import { compositeChannels } from './render.js';
import type { PlaneData } from '../worker/protocol.js';
import { el } from '../dom.js';

const THUMBNAIL = 96;

export class PlateGrid extends Widget {
  private readonly store: NamedStore;
  private readonly loader: ChunkLoader;
  private readonly fieldRequested$ = new Signal<this, string>(this);
  readonly ready: Promise<void>;

  constructor(readonly location: StoreLocation, readonly path: string, workers: number) {
    super();
    this.addClass('jp-FairioPlate');
    this.id = `fairio-plate-${Math.random().toString(36).slice(2, 10)}`;
    this.title.label = `${location.label.split('/').filter(Boolean).pop() ?? location.label} (plate)`;
    this.title.caption = location.label;
    this.title.closable = true;
    this.node.dataset.state = 'loading';
    this.store = openLocation(location, location.jupyter ? jupyterToken() : '');
    this.loader = new ChunkLoader(workers);
    this.ready = this.load();
  }

  /** Emitted with the group path of a field when its well is clicked. */
  get fieldRequested(): ISignal<this, string> {
    return this.fieldRequested$;
  }

  private async load(): Promise<void> {
    const message = el('div', 'jp-FairioPlate-message');
    this.node.append(message);
    let plate;
    try {
      const group = await openGroup(this.store, this.path);
      plate = group.metadata?.plate;
      if (!plate) throw new Error(`${group.location} is not an HCS plate`);
    } catch (error) {
      message.textContent = `Cannot show the plate: ${(error as Error).message}`;
      this.node.dataset.state = 'failed';
      return;
    }
    message.textContent = `${plate.name ?? this.location.label}: ${plate.rows.length} × ${plate.columns.length}, ${plate.wells.length} wells`;
    const grid = el('table', 'jp-FairioPlate-grid');
    const head = el('tr');
    head.append(el('th'));
    plate.columns.forEach((c) => head.append(el('th', undefined, c.name)));
    grid.append(head);
    const cells = new Map<string, HTMLTableCellElement>();
    plate.rows.forEach((r, ri) => {
      const tr = el('tr');
      tr.append(el('th', undefined, r.name));
      plate!.columns.forEach((_, ci) => {
        const td = el('td', 'jp-FairioPlate-empty');
        cells.set(`${ri},${ci}`, td);
        tr.append(td);
      });
      grid.append(tr);
    });
    this.node.append(grid);
    const wells = plate.wells.map((w) => ({ ...w, cell: cells.get(`${w.rowIndex},${w.columnIndex}`) }));
    // A few wells at a time: each opens its field's metadata before its chunk.
    let next = 0;
    const work = async () => {
      while (next < wells.length) {
        const well = wells[next++];
        if (well.cell) await this.thumbnail(well.path, well.cell);
      }
    };
    await Promise.all(Array.from({ length: 4 }, work));
    this.node.dataset.state = 'complete';
  }

  private async thumbnail(wellPath: string, cell: HTMLTableCellElement): Promise<void> {
    cell.className = 'jp-FairioPlate-well';
    cell.title = wellPath;
    cell.dataset.well = wellPath;
    try {
      const well = await openGroup(this.store, [this.path, wellPath].filter(Boolean).join('/'));
      const field = well.metadata?.well?.images[0]?.path;
      if (field === undefined) throw new Error('the well lists no fields');
      const fieldPath = [this.path, wellPath, field].filter(Boolean).join('/');
      cell.addEventListener('click', () => this.fieldRequested$.emit(fieldPath));
      const layer = await openLayer(this.store, fieldPath);
      const level = layer.levels[layer.levels.length - 1];
      const z = indexAtLevel(layer, level, layer.z, layer.defaultZ);
      const t = indexAtLevel(layer, level, layer.t, layer.defaultT);
      const width = Math.min(level.width, level.chunkWidth);
      const height = Math.min(level.height, level.chunkHeight);
      const planes: (PlaneData | undefined)[] = [];
      await Promise.all(
        layer.channels.map(async (channel, c) => {
          if (!channel.visible) return;
          const { coord, within } = chunkPosition(layer, level, { t, c, z }, { cy: 0, cx: 0 });
          const store = { url: this.location.url, label: this.location.label, token: this.location.jupyter ? jupyterToken() : '', jupyter: this.location.jupyter };
          const result = await this.loader.plane({ store, arrayPath: level.arrayPath, zarrFormat: layer.zarrFormat, coord, within, yAxis: layer.y, xAxis: layer.x });
          planes[c] = result.data;
        }),
      );
      const canvas = el('canvas', 'jp-FairioPlate-thumbnail');
      canvas.width = width;
      canvas.height = height;
      const ctx = canvas.getContext('2d')!;
      const pixels = ctx.createImageData(width, height);
      compositeChannels(planes, layer.channels, width, height, pixels.data);
      ctx.putImageData(pixels, 0, 0);
      const scale = THUMBNAIL / Math.max(width, height);
      canvas.style.width = `${Math.round(width * scale)}px`;
      canvas.style.height = `${Math.round(height * scale)}px`;
      cell.append(canvas);
    } catch (error) {
      cell.classList.add('jp-FairioPlate-failed');
      cell.append(el('div', 'jp-FairioPlate-error', (error as Error).message));
    }
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.loader.dispose();
    super.dispose();
  }
}
