/**
 * The OME-Zarr viewer tab (a Lumino widget around a 2D canvas). It draws only
 * the chunks in view, at the pyramid level that fits the zoom, refining
 * progressively: the coarsest level first (usually one chunk), then the
 * chosen level tile by tile as the workers deliver. Channels are composited
 * additively with their colour and contrast; label images are drawn on top
 * with an opacity. Chunks that cannot be read are hatched red and named in the
 * message line; the rest of the image is still shown.
 *
 * For tests and measurements the widget's node carries `data-state`
 * (`loading` / `complete`), `data-first-render-ms` and `data-chunks`.
 */
import { Widget } from '@lumino/widgets';
import type { NamedStore } from '@fairio/ngff/browser';
import { jupyterToken, openLocation, type StoreLocation } from '../location.js';
import type { BrowserSettings } from '../browser/settings.js';
import { ChunkLoader, PlaneError, RequestCancelled } from './loader.js';
import { chunkPosition, indexAtLevel, openLayer, type Layer, type LayerLevel } from './layer.js';
import { PlaneCache } from './plane-cache.js';
import { colorLabels, compositeChannels, percentiles } from './render.js';
import { chooseLevel, fitViewport, formatLength, niceLength, screenToImage, tileRect, visibleRegion, visibleTiles, zoomAt, type Tile, type Viewport } from './viewport.js';
import { ViewerControls } from './controls.js';
import type { PlaneData, StoreRef } from '../worker/protocol.js';
import { el } from '../dom.js';
import { AnalysisController, type AnalysisHost, type AnalysisServices } from '../analysis/controller.js';
import { AnalysisPanel, type OverlayDisplay } from '../analysis/panel.js';
import { isColormap, overlayPixels } from '../analysis/overlay.js';
import type { AnalysisKind, AnalysisOutput, Region } from '../analysis/runner.js';

export interface ViewerOptions {
  location: StoreLocation;
  /** Group path of the image inside the store ('' for the root). */
  path: string;
  settings: BrowserSettings;
  /** Analysis from the viewer (the Analyse section); absent: no such section. */
  analysis?: { services: AnalysisServices; kinds: AnalysisKind[] };
}

/** Arguments of an analysis started by a command (any left out: what the panel shows). */
export interface AnalyseArgs {
  scope?: 'visible' | 'image';
  kind?: string;
  path?: string;
  channels?: number[];
}

/** The result shown over the image: where it lies (level-0 pixels, its z/t) and how it is drawn. */
interface AnalysisOverlay {
  output: AnalysisOutput;
  region: Region;
  z: number;
  t: number;
  display: OverlayDisplay;
  canvas: HTMLCanvasElement;
}

export interface LabelLayerState {
  layer: Layer;
  name: string;
  visible: boolean;
  opacity: number;
}

export interface ViewState {
  centerX: number;
  centerY: number;
  zoom: number;
}

interface TileCanvas {
  canvas: HTMLCanvasElement;
  version: string;
  /** The last frame that drew it (tiles unused the longest are dropped first). */
  frame: number;
  /** Some planes of this tile failed. */
  failed: boolean;
}

export class NgffViewer extends Widget {
  readonly location: StoreLocation;
  readonly path: string;
  image: Layer | undefined;
  readonly labels: LabelLayerState[] = [];
  z = 0;
  t = 0;
  /** When the viewer started loading, and how long its first complete view took. */
  readonly measure: { openedAt: number; firstFullRenderMs?: number; chunksAtFirstFullRender?: number } = { openedAt: performance.now() };

  private readonly store: NamedStore;
  private readonly storeRef: StoreRef;
  private readonly loader: ChunkLoader;
  private readonly planes: PlaneCache;
  private readonly tiles = new Map<string, TileCanvas>();
  private readonly failures = new Map<string, string>();
  private readonly notes: string[] = [];
  private readonly canvas: HTMLCanvasElement;
  private readonly canvasBox: HTMLElement;
  private readonly scaleBar: HTMLElement;
  private readonly scaleText: HTMLElement;
  private readonly pixelInfo: HTMLElement;
  private readonly statsNode: HTMLElement;
  private readonly messageNode: HTMLElement;
  private readonly controls: ViewerControls;
  private view: Viewport | undefined;
  private displayVersion = 0;
  private frame = 0;
  private frameCount = 0;
  private autoPending = false;
  private resizeObserver: ResizeObserver | undefined;
  private readonly ready: Promise<void>;
  private analysisPanel: AnalysisPanel | undefined;
  private analysisController: AnalysisController | undefined;
  private overlay: AnalysisOverlay | undefined;

  constructor(private readonly options: ViewerOptions) {
    super();
    this.addClass('jp-FairioViewer');
    this.location = options.location;
    this.path = options.path;
    this.id = `fairio-viewer-${Math.random().toString(36).slice(2, 10)}`;
    const name = `${options.location.label.split('/').filter(Boolean).pop() ?? options.location.label}${options.path ? `/${options.path}` : ''}`;
    this.title.label = name;
    this.title.caption = `${options.location.label}${options.path ? ` › ${options.path}` : ''}`;
    this.title.closable = true;
    this.node.dataset.state = 'loading';
    this.node.tabIndex = 0;

    const token = options.location.jupyter ? jupyterToken() : '';
    this.store = openLocation(options.location, token);
    this.storeRef = { url: options.location.url, label: options.location.label, token, jupyter: options.location.jupyter };
    this.loader = new ChunkLoader(ChunkLoader.workerCount(options.settings.decodeWorkers));
    this.planes = new PlaneCache(options.settings.chunkCacheMiB * 2 ** 20);

    this.controls = new ViewerControls({
      onChange: () => this.displayChanged(),
      onPlane: (axis, value) => this.setPlane(axis, value),
      onAutoContrast: (channel) => this.autoContrast(channel === undefined ? undefined : [channel]),
      onFit: () => this.resetView(),
    });
    this.canvasBox = el('div', 'jp-FairioViewer-canvasBox');
    this.canvas = el('canvas', 'jp-FairioViewer-canvas');
    this.scaleBar = el('div', 'jp-FairioViewer-scaleBar');
    this.scaleText = el('div', 'jp-FairioViewer-scaleText');
    const scale = el('div', 'jp-FairioViewer-scale');
    scale.append(this.scaleBar, this.scaleText);
    this.canvasBox.append(this.canvas, scale);
    const body = el('div', 'jp-FairioViewer-body');
    body.append(this.canvasBox, this.controls.node);
    const status = el('div', 'jp-FairioViewer-status');
    this.pixelInfo = el('span', 'jp-FairioViewer-pixel', '');
    this.statsNode = el('span', 'jp-FairioViewer-stats', '');
    status.append(this.pixelInfo, this.statsNode);
    this.messageNode = el('div', 'jp-FairioViewer-message');
    this.messageNode.setAttribute('role', 'status');
    this.node.append(this.controls.toolbar, body, status, this.messageNode);
    this.attachPointer();
    this.ready = this.load();
  }

  /** Resolves when the image's metadata is loaded (or failed, with the reason shown). */
  get loaded(): Promise<void> {
    return this.ready;
  }

  /** Counters of the chunk loader (planes asked for, chunks fetched, bytes). */
  get loaderStats() {
    return this.loader.stats;
  }

  private async load(): Promise<void> {
    try {
      this.image = await openLayer(this.store, this.path, 'image');
    } catch (error) {
      this.node.dataset.state = 'failed';
      this.showMessage(`Cannot show ${this.title.caption}: ${(error as Error).message}`);
      return;
    }
    const image = this.image;
    for (const e of image.levelErrors) this.notes.push(e);
    this.z = image.defaultZ;
    this.t = image.defaultT;
    this.autoPending = image.windowFromMetadata.some((fromMetadata) => !fromMetadata);
    const labelNames = await image.group.labelNames().catch((e: unknown) => {
      this.notes.push(`labels: ${(e as Error).message}`);
      return [] as string[];
    });
    for (const name of labelNames) {
      try {
        const layer = await openLayer(this.store, [this.path, 'labels', name].filter(Boolean).join('/'), 'label');
        for (const e of layer.levelErrors) this.notes.push(`label ${name}: ${e}`);
        this.labels.push({ layer, name, visible: true, opacity: this.options.settings.labelOpacity });
      } catch (e) {
        this.notes.push(`label ${name}: ${(e as Error).message}`);
      }
    }
    this.controls.build(image, this.labels, this.z, this.t);
    if (this.options.analysis) this.buildAnalysis(this.options.analysis);
    this.showMessage(this.notes.join('\n'));
    this.resizeObserver = new ResizeObserver(() => this.resize());
    this.resizeObserver.observe(this.canvasBox);
    this.resize();
  }

  private resize(): void {
    const rect = this.canvasBox.getBoundingClientRect();
    const width = Math.max(1, Math.floor(rect.width));
    const height = Math.max(1, Math.floor(rect.height));
    const dpr = window.devicePixelRatio || 1;
    this.canvas.width = Math.round(width * dpr);
    this.canvas.height = Math.round(height * dpr);
    this.canvas.style.width = `${width}px`;
    this.canvas.style.height = `${height}px`;
    if (!this.image) return;
    this.view = this.view ? { ...this.view, width, height } : fitViewport(this.image.width0, this.image.height0, width, height);
    this.scheduleDraw();
  }

  /** Fit the whole image in the view. */
  resetView(): void {
    if (!this.image || !this.view) return;
    this.view = fitViewport(this.image.width0, this.image.height0, this.view.width, this.view.height);
    this.scheduleDraw();
  }

  /** Place the view: level-0 pixel at the centre and screen pixels per level-0 pixel. */
  setView(state: Partial<ViewState>): void {
    if (!this.view) return;
    this.view = { ...this.view, ...state };
    this.scheduleDraw();
  }

  get viewState(): ViewState | undefined {
    return this.view && { centerX: this.view.centerX, centerY: this.view.centerY, zoom: this.view.zoom };
  }

  setPlane(axis: 'z' | 't', value: number): void {
    if (!this.image) return;
    const size = axis === 'z' ? this.image.sizeZ : this.image.sizeT;
    const v = Math.max(0, Math.min(size - 1, Math.round(value)));
    if (axis === 'z') this.z = v;
    else this.t = v;
    this.controls.setPlane(axis, v);
    this.scheduleDraw();
  }

  private displayChanged(): void {
    this.displayVersion += 1;
    this.scheduleDraw();
  }

  private showMessage(text: string): void {
    this.messageNode.textContent = text;
    this.messageNode.hidden = text === '';
  }

  scheduleDraw(): void {
    if (this.frame || this.isDisposed) return;
    this.node.dataset.state = 'loading';
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  // --- loading -----------------------------------------------------------

  private planeKey(layerIndex: number, level: LayerLevel, c: number, tile: Tile, z: number, t: number): string {
    return `${layerIndex}|${level.index}|${t}|${c}|${z}|${tile.cy}|${tile.cx}`;
  }

  private layers(): { layer: Layer; index: number; opacity: number }[] {
    const out = this.image ? [{ layer: this.image, index: 0, opacity: 1 }] : [];
    this.labels.forEach((l, i) => {
      if (l.visible) out.push({ layer: l.layer, index: i + 1, opacity: l.opacity });
    });
    return out;
  }

  /** Channels a tile of this layer needs. */
  private neededChannels(layer: Layer): number[] {
    if (layer.kind === 'label') return [0];
    return layer.channels.map((ch, i) => (ch.visible ? i : -1)).filter((i) => i >= 0);
  }

  private request(layerIndex: number, layer: Layer, level: LayerLevel, c: number, tile: Tile, z: number, t: number): void {
    const key = this.planeKey(layerIndex, level, c, tile, z, t);
    const { coord, within } = chunkPosition(layer, level, { t, c, z }, tile);
    this.planes.set(key, { state: 'loading' });
    const wanted = () => !this.isDisposed && this.tileWanted(layer, level, tile, z, t);
    this.loader
      .plane({ store: this.storeRef, arrayPath: level.arrayPath, zarrFormat: layer.zarrFormat, coord, within, yAxis: layer.y, xAxis: layer.x }, wanted)
      .then(
        (result) => this.planes.set(key, { state: 'loaded', data: result.data, width: result.width, height: result.height }),
        (error: unknown) => {
          if (error instanceof RequestCancelled) {
            this.planes.delete(key);
            return;
          }
          const message = error instanceof PlaneError || error instanceof Error ? error.message : String(error);
          this.planes.set(key, { state: 'failed', message });
          this.failures.set(key, message);
          this.updateMessage();
        },
      )
      .finally(() => this.scheduleDraw());
  }

  private tileWanted(layer: Layer, level: LayerLevel, tile: Tile, z: number, t: number): boolean {
    if (!this.view) return false;
    const image = layer;
    if (indexAtLevel(image, level, image.z, this.z) !== z || indexAtLevel(image, level, image.t, this.t) !== t) return false;
    const r = visibleRegion(this.view);
    const x0 = tile.cx * level.chunkWidth * level.factorX;
    const y0 = tile.cy * level.chunkHeight * level.factorY;
    return x0 < r.x1 && x0 + level.chunkWidth * level.factorX > r.x0 && y0 < r.y1 && y0 + level.chunkHeight * level.factorY > r.y0;
  }

  private updateMessage(): void {
    const failed = [...new Set(this.failures.values())];
    const parts = [...this.notes];
    if (failed.length) {
      const planes = this.failures.size;
      parts.push(`${planes} chunk plane${planes > 1 ? 's' : ''} could not be read (hatched in red): ${failed.slice(0, 3).join('; ')}${failed.length > 3 ? '; …' : ''}`);
    }
    this.showMessage(parts.join('\n'));
  }

  // --- drawing -----------------------------------------------------------

  /**
   * The composited tile, or undefined while some of its planes are loading.
   * `load` asks for missing planes.
   */
  private tileCanvas(layerIndex: number, layer: Layer, level: LayerLevel, tile: Tile, load: boolean): TileCanvas | undefined {
    const z = indexAtLevel(layer, level, layer.z, this.z);
    const t = indexAtLevel(layer, level, layer.t, this.t);
    const channels = this.neededChannels(layer);
    const version = `${layer.kind === 'image' ? this.displayVersion : 0}|${z}|${t}|${channels.join(',')}`;
    const tileKey = `${layerIndex}|${level.index}|${tile.cy}|${tile.cx}`;
    const cached = this.tiles.get(tileKey);
    if (cached?.version === version) {
      cached.frame = this.frameCount;
      return cached;
    }
    const planes: (PlaneData | undefined)[] = [];
    let width = 0;
    let height = 0;
    let pending = false;
    let failed = false;
    for (const c of channels) {
      const key = this.planeKey(layerIndex, level, c, tile, z, t);
      const entry = this.planes.get(key);
      if (!entry) {
        if (load) this.request(layerIndex, layer, level, c, tile, z, t);
        pending = true;
      } else if (entry.state === 'loading') {
        pending = true;
      } else if (entry.state === 'failed') {
        failed = true;
      } else {
        planes[c] = entry.data;
        width = entry.width;
        height = entry.height;
      }
    }
    if (pending) return undefined;
    const canvas = cached?.canvas ?? el('canvas');
    if (width > 0) {
      canvas.width = width;
      canvas.height = height;
      const ctx = canvas.getContext('2d')!;
      const pixels = ctx.createImageData(width, height);
      if (layer.kind === 'image') compositeChannels(planes, layer.channels, width, height, pixels.data);
      else colorLabels(planes[0]!, width, height, pixels.data, layer.labelColors);
      ctx.putImageData(pixels, 0, 0);
    } else {
      canvas.width = 0;
    }
    const entry = { canvas, version, failed, frame: this.frameCount };
    this.tiles.set(tileKey, entry);
    return entry;
  }

  /** Composited tiles kept beyond those on screen (each up to a chunk's size in RGBA), for panning back. */
  private static readonly SPARE_TILES = 128;

  /** Drop the composited tiles unused the longest (their planes stay in the plane cache). */
  private trimTiles(): void {
    const excess = this.tiles.size - NgffViewer.SPARE_TILES;
    if (excess <= 0) return;
    const old = [...this.tiles].filter(([, t]) => t.frame < this.frameCount).sort((a, b) => a[1].frame - b[1].frame);
    for (const [key] of old.slice(0, excess)) this.tiles.delete(key);
  }

  private draw(): void {
    const view = this.view;
    const image = this.image;
    if (!view || !image) return;
    this.frameCount += 1;
    const dpr = window.devicePixelRatio || 1;
    const ctx = this.canvas.getContext('2d')!;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.globalAlpha = 1;
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, view.width, view.height);
    ctx.imageSmoothingEnabled = false;
    let complete = true;
    let shownLevel = 0;
    for (const { layer, index, opacity } of this.layers()) {
      const target = chooseLevel(layer.levels, view.zoom, dpr) as LayerLevel;
      if (index === 0) shownLevel = target.index;
      const coarse = layer.levels[layer.levels.length - 1];
      // Label layers are drawn opaque into their own canvas, which is then laid over the image
      // with the layer's opacity (drawing each level translucently would stack the opacities).
      const overlay = layer.kind === 'label' ? this.overlayContext(dpr) : ctx;
      // Coarse to fine: the finer tiles cover the coarser as they arrive.
      const levels = layer.levels.filter((l) => l.factorX >= target.factorX).sort((a, b) => b.factorX - a.factorX);
      for (const level of levels) {
        const load = level === target || level === coarse;
        for (const tile of visibleTiles(level, view)) {
          const drawn = this.tileCanvas(index, layer, level, tile, load);
          if (!drawn) {
            if (level === target) complete = false;
            continue;
          }
          const rect = tileRect(level, tile, drawn.canvas.width, drawn.canvas.height, view);
          // Transparent label pixels of a finer tile must not let the coarser tile show through.
          if (overlay !== ctx) overlay.clearRect(rect.x, rect.y, rect.w, rect.h);
          if (drawn.canvas.width > 0) overlay.drawImage(drawn.canvas, rect.x, rect.y, rect.w, rect.h);
          if (drawn.failed && level === target) this.hatch(ctx, level, tile, view);
        }
      }
      if (overlay !== ctx) {
        ctx.save();
        ctx.setTransform(1, 0, 0, 1, 0, 0);
        ctx.globalAlpha = opacity;
        ctx.drawImage(overlay.canvas, 0, 0);
        ctx.restore();
      }
    }
    this.drawOverlay(ctx, view);
    this.trimTiles();
    this.drawScaleBar(view);
    const stats = this.loader.stats;
    this.statsNode.textContent = `level ${shownLevel} · ${stats.chunksFetched} chunks fetched${this.measure.firstFullRenderMs !== undefined ? ` · first full view ${Math.round(this.measure.firstFullRenderMs)} ms` : ''}`;
    this.node.dataset.chunks = String(stats.chunksFetched);
    this.node.dataset.level = String(shownLevel);
    if (!complete) return;
    if (this.autoPending) {
      this.autoPending = false;
      this.autoContrast(image.channels.map((_, i) => i).filter((i) => !image.windowFromMetadata[i]));
      return;
    }
    if (this.measure.firstFullRenderMs === undefined) {
      this.measure.firstFullRenderMs = performance.now() - this.measure.openedAt;
      this.measure.chunksAtFirstFullRender = stats.chunksFetched;
      this.node.dataset.firstRenderMs = String(Math.round(this.measure.firstFullRenderMs));
      this.statsNode.textContent += ` · first full view ${Math.round(this.measure.firstFullRenderMs)} ms`;
      this.node.dataset.chunksAtFirstRender = String(stats.chunksFetched);
    }
    this.node.dataset.state = 'complete';
  }

  // --- analysis ------------------------------------------------------------

  private buildAnalysis(analysis: NonNullable<ViewerOptions['analysis']>): void {
    const image = this.image!;
    const panel = new AnalysisPanel(analysis.kinds, image.channels.map((c) => c.label), {
      onRun: (scope) => void this.analyse({ scope }),
      onCancel: () => this.cancelAnalysis(),
      onOverlay: (display) => this.setOverlayDisplay(display),
    });
    this.analysisPanel = panel;
    this.analysisController = new AnalysisController(analysis.services, {
      state: (state, message) => panel.setState(state, message),
      progress: (p) => panel.setProgress(p),
    });
    this.controls.node.append(panel.node);
  }

  /** What the analysis needs to know about the image and the view. */
  private analysisHost(): AnalysisHost {
    const image = this.image!;
    return {
      store: this.storeRef,
      storeLabel: this.location.label,
      imagePath: this.path,
      width0: image.width0,
      height0: image.height0,
      channelCount: image.sizeC,
      z: this.z,
      t: this.t,
      pixelSize: { x: image.pixelSizeX || 1, y: image.pixelSizeY || 1, unitX: image.unitX, unitY: image.unitY },
      visibleRegion: () => {
        if (!this.view) return { x: 0, y: 0, width: 0, height: 0 };
        const r = visibleRegion(this.view);
        const x0 = Math.max(0, Math.floor(r.x0));
        const y0 = Math.max(0, Math.floor(r.y0));
        const x1 = Math.min(image.width0, Math.ceil(r.x1));
        const y1 = Math.min(image.height0, Math.ceil(r.y1));
        return { x: x0, y: y0, width: Math.max(0, x1 - x0), height: Math.max(0, y1 - y0) };
      },
    };
  }

  /** Run an analysis (resolves when it ended, with the run's folder, or undefined when it failed or was cancelled). */
  async analyse(args: AnalyseArgs = {}): Promise<string | undefined> {
    await this.ready;
    const panel = this.analysisPanel;
    const controller = this.analysisController;
    const analysis = this.options.analysis;
    if (!panel || !controller || !analysis) return undefined;
    if (args.kind) panel.selectedKindId = args.kind;
    if (args.path !== undefined) panel.path = args.path;
    if (args.scope) panel.scope = args.scope;
    if (args.channels) panel.channels = args.channels;
    const outcome = await controller.run(this.analysisHost(), { kind: panel.selectedKind, path: panel.path, scope: panel.scope, channels: panel.channels }, ({ output, request }) => this.showOverlay(output, request.region, request.z, request.t));
    if (outcome) panel.setFolder(outcome.folder);
    return outcome?.folder;
  }

  cancelAnalysis(): void {
    this.analysisController?.cancel();
  }

  get analysisRunning(): boolean {
    return this.analysisController?.running ?? false;
  }

  get hasOverlay(): boolean {
    return this.overlay !== undefined;
  }

  toggleOverlay(): void {
    if (!this.overlay) return;
    this.setOverlayDisplay({ ...this.overlay.display, visible: !this.overlay.display.visible });
    this.analysisPanel?.setDisplay(this.overlay.display);
  }

  /** The settings changed: the overlay takes the new colormap and opacity. */
  settingsChanged(): void {
    if (!this.overlay) return;
    const s = this.options.settings;
    this.setOverlayDisplay({ ...this.overlay.display, opacity: s.analysisOpacity, colormap: s.analysisColormap });
    this.analysisPanel?.setDisplay(this.overlay.display);
  }

  private showOverlay(output: AnalysisOutput, region: Region, z: number, t: number): void {
    const s = this.options.settings;
    const display: OverlayDisplay = { visible: true, opacity: s.analysisOpacity, colormap: isColormap(s.analysisColormap) ? s.analysisColormap : 'magma', channel: 0 };
    this.overlay = { output, region, z, t, display, canvas: this.overlay?.canvas ?? el('canvas') };
    this.analysisPanel?.showResult(output, display);
    this.renderOverlay();
  }

  private setOverlayDisplay(display: OverlayDisplay): void {
    if (!this.overlay) return;
    const redraw = display.colormap !== this.overlay.display.colormap || display.channel !== this.overlay.display.channel;
    this.overlay.display = display;
    if (redraw) this.renderOverlay();
    else this.scheduleDraw();
  }

  private renderOverlay(): void {
    const overlay = this.overlay!;
    const { output, canvas, display } = overlay;
    canvas.width = output.width;
    canvas.height = output.height;
    const ctx = canvas.getContext('2d')!;
    const pixels = ctx.createImageData(output.width, output.height);
    pixels.data.set(overlayPixels(output, display.channel, display.colormap).rgba);
    ctx.putImageData(pixels, 0, 0);
    this.node.dataset.overlayColormap = display.colormap;
    this.scheduleDraw();
  }

  /** The analysis result over the image, on its own z/t plane only. */
  private drawOverlay(ctx: CanvasRenderingContext2D, view: Viewport): void {
    const overlay = this.overlay;
    const shown = overlay !== undefined && overlay.display.visible && overlay.z === this.z && overlay.t === this.t;
    this.node.dataset.overlay = overlay ? (shown ? 'shown' : 'hidden') : 'none';
    if (!shown) return;
    const { region, canvas, display } = overlay;
    ctx.save();
    ctx.globalAlpha = display.opacity;
    ctx.imageSmoothingEnabled = false;
    const x = (region.x - view.centerX) * view.zoom + view.width / 2;
    const y = (region.y - view.centerY) * view.zoom + view.height / 2;
    ctx.drawImage(canvas, x, y, region.width * view.zoom, region.height * view.zoom);
    ctx.restore();
  }

  private overlayCanvas: HTMLCanvasElement | undefined;

  /** A cleared canvas the size of the view, for one label layer. */
  private overlayContext(dpr: number): CanvasRenderingContext2D {
    this.overlayCanvas ??= el('canvas');
    const canvas = this.overlayCanvas;
    if (canvas.width !== this.canvas.width || canvas.height !== this.canvas.height) {
      canvas.width = this.canvas.width;
      canvas.height = this.canvas.height;
    }
    const ctx = canvas.getContext('2d')!;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.imageSmoothingEnabled = false;
    return ctx;
  }

  private hatch(ctx: CanvasRenderingContext2D, level: LayerLevel, tile: Tile, view: Viewport): void {
    const w = Math.min(level.chunkWidth, level.width - tile.cx * level.chunkWidth);
    const h = Math.min(level.chunkHeight, level.height - tile.cy * level.chunkHeight);
    const r = tileRect(level, tile, w, h, view);
    ctx.save();
    ctx.beginPath();
    ctx.rect(r.x, r.y, r.w, r.h);
    ctx.clip();
    ctx.strokeStyle = 'rgba(255, 40, 40, 0.9)';
    ctx.lineWidth = 2;
    for (let d = -r.h; d < r.w; d += 12) {
      ctx.moveTo(r.x + d, r.y + r.h);
      ctx.lineTo(r.x + d + r.h, r.y);
    }
    ctx.stroke();
    ctx.strokeRect(r.x, r.y, r.w, r.h);
    ctx.restore();
  }

  private drawScaleBar(view: Viewport): void {
    const image = this.image!;
    // Screen pixels per physical unit along x.
    const perUnit = view.zoom / (image.pixelSizeX || 1);
    const length = niceLength(120 / perUnit);
    this.scaleBar.style.width = `${Math.round(length * perUnit)}px`;
    this.scaleText.textContent = formatLength(length, image.pixelSizeX ? image.unitX : undefined);
  }

  // --- contrast and pixel values ------------------------------------------

  /** Loaded planes of a channel at the current z/t for the tiles in view, at the finest level that has them. */
  private visiblePlanes(c: number): PlaneData[] {
    const image = this.image;
    const view = this.view;
    if (!image || !view) return [];
    for (const level of [...image.levels].sort((a, b) => a.factorX - b.factorX)) {
      const z = indexAtLevel(image, level, image.z, this.z);
      const t = indexAtLevel(image, level, image.t, this.t);
      const found: PlaneData[] = [];
      for (const tile of visibleTiles(level, view)) {
        const entry = this.planes.get(this.planeKey(0, level, c, tile, z, t));
        if (entry?.state === 'loaded') found.push(entry.data);
      }
      if (found.length) return found;
    }
    return [];
  }

  /** Contrast of the given channels (default: the visible ones) from the percentiles of the pixels in view. */
  autoContrast(channels?: number[]): void {
    const image = this.image;
    if (!image) return;
    const [lo, hi] = this.options.settings.autoContrastPercentiles;
    for (const c of channels ?? image.channels.map((ch, i) => (ch.visible ? i : -1)).filter((i) => i >= 0)) {
      const planes = this.visiblePlanes(c);
      if (!planes.length) continue;
      const [min, max] = percentiles(planes, [lo, hi]);
      image.channels[c].min = min;
      image.channels[c].max = max > min ? max : min + 1;
    }
    this.controls.refresh();
    this.displayChanged();
  }

  /** Values under a level-0 position: per channel of the image (from the finest loaded level), and the label ids. */
  valuesAt(x: number, y: number): { level: number; channels: (number | undefined)[]; labels: (number | undefined)[] } | undefined {
    const image = this.image;
    if (!image || x < 0 || y < 0 || x >= image.width0 || y >= image.height0) return undefined;
    const lookup = (layer: Layer, layerIndex: number, c: number): { value: number; level: number } | undefined => {
      for (const level of [...layer.levels].sort((a, b) => a.factorX - b.factorX)) {
        const px = Math.floor(x / level.factorX);
        const py = Math.floor(y / level.factorY);
        const tile = { level: level.index, cy: Math.floor(py / level.chunkHeight), cx: Math.floor(px / level.chunkWidth) };
        const z = indexAtLevel(layer, level, layer.z, this.z);
        const t = indexAtLevel(layer, level, layer.t, this.t);
        const entry = this.planes.get(this.planeKey(layerIndex, level, c, tile, z, t));
        if (entry?.state === 'loaded') {
          return { value: entry.data[(py - tile.cy * level.chunkHeight) * entry.width + (px - tile.cx * level.chunkWidth)], level: level.index };
        }
      }
      return undefined;
    };
    let level = 0;
    const channels = image.channels.map((_, c) => {
      const found = lookup(image, 0, c);
      if (found) level = found.level;
      return found?.value;
    });
    const labels = this.labels.map((l, i) => lookup(l.layer, i + 1, 0)?.value);
    return { level, channels, labels };
  }

  // --- interaction -------------------------------------------------------

  private attachPointer(): void {
    let drag: { x: number; y: number; cx: number; cy: number } | undefined;
    this.canvas.addEventListener('pointerdown', (event) => {
      if (!this.view) return;
      this.canvas.setPointerCapture(event.pointerId);
      drag = { x: event.clientX, y: event.clientY, cx: this.view.centerX, cy: this.view.centerY };
    });
    this.canvas.addEventListener('pointermove', (event) => {
      if (!this.view) return;
      if (drag) {
        this.view = { ...this.view, centerX: drag.cx - (event.clientX - drag.x) / this.view.zoom, centerY: drag.cy - (event.clientY - drag.y) / this.view.zoom };
        this.scheduleDraw();
      }
      this.showPixel(event);
    });
    const end = () => (drag = undefined);
    this.canvas.addEventListener('pointerup', end);
    this.canvas.addEventListener('pointercancel', end);
    this.canvas.addEventListener('pointerleave', () => (this.pixelInfo.textContent = ''));
    this.canvas.addEventListener(
      'wheel',
      (event) => {
        if (!this.view || !this.image) return;
        event.preventDefault();
        const rect = this.canvas.getBoundingClientRect();
        const fit = fitViewport(this.image.width0, this.image.height0, this.view.width, this.view.height).zoom;
        this.view = zoomAt(this.view, Math.exp(-event.deltaY * 0.002), event.clientX - rect.left, event.clientY - rect.top, { min: fit / 8, max: 64 });
        this.scheduleDraw();
      },
      { passive: false },
    );
  }

  private showPixel(event: PointerEvent): void {
    if (!this.view || !this.image) return;
    const rect = this.canvas.getBoundingClientRect();
    const p = screenToImage(this.view, event.clientX - rect.left, event.clientY - rect.top);
    const x = Math.floor(p.x);
    const y = Math.floor(p.y);
    const values = this.valuesAt(x, y);
    if (!values) {
      this.pixelInfo.textContent = '';
      return;
    }
    const image = this.image;
    const channelText = image.channels
      .map((ch, c) => (values.channels[c] === undefined ? undefined : `${ch.label} ${formatValue(values.channels[c]!)}`))
      .filter(Boolean)
      .join(' · ');
    const labelText = this.labels.map((l, i) => (values.labels[i] ? `${l.name} #${values.labels[i]}` : undefined)).filter(Boolean).join(' · ');
    const physical = image.pixelSizeX && image.unitX ? ` (${formatLength(x * image.pixelSizeX, image.unitX)})` : '';
    this.pixelInfo.textContent = `x ${x}, y ${y}${physical}: ${channelText}${labelText ? ` · ${labelText}` : ''}${values.level ? ` (level ${values.level})` : ''}`;
  }

  /** Focus on activation, so the viewer tracker (and the commands acting on "the current viewer") follow. */
  protected override onActivateRequest(msg: Parameters<Widget['onActivateRequest']>[0]): void {
    super.onActivateRequest(msg);
    this.node.focus();
  }

  protected override onCloseRequest(msg: Parameters<Widget['onCloseRequest']>[0]): void {
    super.onCloseRequest(msg);
    this.dispose();
  }

  override dispose(): void {
    if (this.isDisposed) return;
    if (this.frame) cancelAnimationFrame(this.frame);
    this.resizeObserver?.disconnect();
    this.analysisController?.dispose();
    this.loader.dispose();
    super.dispose();
  }
}

function formatValue(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toPrecision(4);
}
