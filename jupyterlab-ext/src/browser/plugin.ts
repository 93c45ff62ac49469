/**
 * The NGFF browser plugin: puts the sidebar in the shell (restored across
 * reloads by the layout restorer, together with the last store it showed and
 * the viewer tabs), registers the commands, the palette entries and the file
 * browser hooks (double-click and context menu on `*.zarr` folders), and
 * reads settings.
 */
import { ILayoutRestorer, type JupyterFrontEnd, type JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette, InputDialog, WidgetTracker } from '@jupyterlab/apputils';
import { IDefaultFileBrowser } from '@jupyterlab/filebrowser';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { IStateDB } from '@jupyterlab/statedb';
import { PageConfig, PathExt, URLExt } from '@jupyterlab/coreutils';
import { CommandIDs } from '../commands.js';
import { pyramidIcon } from '../icon.js';
import { NgffBrowserPanel } from './panel.js';
import { defaultSettings, readSettings, type BrowserSettings } from './settings.js';
import type { HierarchyNode } from './hierarchy.js';
import { jupyterToken, resolveLocation } from '../location.js';
import { NgffViewer, type AnalyseArgs } from '../viewer/viewer.js';
import type { AnalysisServices } from '../analysis/controller.js';
import { ANALYSIS_KINDS } from '../analysis/kinds.js';
import { EXTENSION } from '../version.js';
import { PlateGrid } from '../viewer/plate.js';
import { ChunkLoader } from '../viewer/loader.js';

const PLUGIN_ID = 'jupyterlab-fairio:browser';
const STATE_KEY = `${PLUGIN_ID}:state`;

function isZarrFolder(name: string): boolean {
  return /\.zarr$/i.test(name);
}

export const browserPlugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description: 'NGFF (OME-Zarr) browser in the left sidebar',
  autoStart: true,
  optional: [ILayoutRestorer, ICommandPalette, IDefaultFileBrowser, ISettingRegistry, IStateDB],
  activate: (
    app: JupyterFrontEnd,
    restorer: ILayoutRestorer | null,
    palette: ICommandPalette | null,
    fileBrowser: IDefaultFileBrowser | null,
    settingRegistry: ISettingRegistry | null,
    state: IStateDB | null,
  ) => {
    const panel = new NgffBrowserPanel();
    panel.title.icon = pyramidIcon;
    // One object, updated in place, so open viewers see changed settings.
    const settings: BrowserSettings = defaultSettings();
    const analysisServices: AnalysisServices = {
      contents: app.serviceManager.contents,
      context: () => ({
        token: jupyterToken(),
        tileSize: settings.analysisTileSize,
        // JupyterLab serves the labextension's static/ folder (ONNX Runtime's .wasm is in static/ort/).
        // Absolute: the worker runs from a Blob URL, against which nothing relative resolves.
        staticUrl: new URL(URLExt.join(PageConfig.getOption('fullLabextensionsUrl') || URLExt.join(PageConfig.getBaseUrl(), 'lab', 'extensions'), EXTENSION.name, 'static', '/'), window.location.href).href,
        baseUrl: new URL(PageConfig.getBaseUrl(), window.location.href).href,
      }),
      folder: () => settings.analysisFolder,
      maxPixels: () => settings.analysisMaxMegapixels * 1e6,
      extensionVersion: EXTENSION.version,
    };
    app.shell.add(panel, 'left', { rank: 600 });
    restorer?.add(panel, panel.id);

    const viewers = new WidgetTracker<NgffViewer>({ namespace: 'fairio-ngff-viewer' });
    const plates = new WidgetTracker<PlateGrid>({ namespace: 'fairio-ngff-plate' });
    const openViewer = (location: string, path: string) => {
      const existing = viewers.find((w) => w.location.label === resolveLocation(location).label && w.path === path);
      if (existing) {
        app.shell.activateById(existing.id);
        return existing;
      }
      const viewer = new NgffViewer({ location: resolveLocation(location), path, settings, analysis: { services: analysisServices, kinds: ANALYSIS_KINDS } });
      viewer.title.icon = pyramidIcon;
      app.shell.add(viewer, 'main');
      void viewers.add(viewer);
      app.shell.activateById(viewer.id);
      return viewer;
    };
    const openPlate = (location: string, path: string) => {
      const grid = new PlateGrid(resolveLocation(location), path, ChunkLoader.workerCount(settings.decodeWorkers));
      grid.title.icon = pyramidIcon;
      grid.fieldRequested.connect((_, field) => openViewer(location, field));
      app.shell.add(grid, 'main');
      void plates.add(grid);
      app.shell.activateById(grid.id);
      return grid;
    };
    panel.openRequested.connect((_, request) => {
      if (request.kind === 'plate') openPlate(request.location.label, request.path);
      else openViewer(request.location.label, request.path);
    });

    /** What to show first for a store: its image, its first series, or its plate grid. */
    const showFirst = (location: string, root: HierarchyNode) => {
      if (root.kind === 'image') openViewer(location, '');
      else if (root.kind === 'plate') openPlate(location, '');
      else {
        const first = root.children.find((c) => c.kind === 'series' || c.kind === 'field');
        if (first?.path !== undefined) openViewer(location, first.path);
      }
    };

    const open = async (location: string, show = true) => {
      app.shell.activateById(panel.id);
      const root = await panel.open(location);
      if (root && state) await state.save(STATE_KEY, { location });
      if (root && show) showFirst(location, root);
      return root;
    };

    const selectedZarr = (): string | undefined => {
      const item = fileBrowser?.selectedItems().next();
      if (!item || item.done) return undefined;
      return isZarrFolder(item.value.name) ? item.value.path : undefined;
    };

    app.commands.addCommand(CommandIDs.showBrowser, {
      label: 'Show the NGFF browser',
      caption: 'Show the OME-Zarr browser in the left sidebar',
      execute: () => app.shell.activateById(panel.id),
    });
    app.commands.addCommand(CommandIDs.open, {
      label: (args) => (args.location ? `Open ${String(args.location)} in the NGFF browser` : 'Open in the NGFF browser'),
      caption: 'Open an OME-Zarr (server path or http(s) URL) in the NGFF browser',
      icon: pyramidIcon,
      isVisible: (args) => Boolean(args.location) || selectedZarr() !== undefined,
      execute: async (args) => {
        const location = (args.location as string | undefined) ?? selectedZarr();
        if (location === undefined) return app.commands.execute(CommandIDs.openLocation);
        await open(location);
      },
    });
    app.commands.addCommand(CommandIDs.openLocation, {
      label: 'Open OME-Zarr from a path or URL…',
      caption: 'Open an OME-Zarr by its path on the Jupyter server or an http(s) URL',
      execute: async () => {
        const result = await InputDialog.getText({ title: 'Open OME-Zarr', placeholder: 'data/cells.ome.zarr or https://…', text: panel.currentLocation ?? '' });
        if (result.button.accept && result.value) await open(result.value);
      },
    });
    app.commands.addCommand(CommandIDs.openViewer, {
      label: 'Open an OME-Zarr image in a viewer',
      execute: (args) => {
        openViewer(String(args.location), String(args.path ?? ''));
      },
    });
    app.commands.addCommand(CommandIDs.openPlate, {
      label: 'Open an HCS plate grid',
      execute: (args) => {
        openPlate(String(args.location), String(args.path ?? ''));
      },
    });
    // The viewer in front in the main area, else the one focused last.
    const current = () => (app.shell.currentWidget instanceof NgffViewer ? app.shell.currentWidget : viewers.currentWidget);
    app.commands.addCommand(CommandIDs.resetView, {
      label: 'Fit the image to the viewer',
      isEnabled: () => current() !== null,
      execute: () => current()?.resetView(),
    });
    app.commands.addCommand(CommandIDs.autoContrast, {
      label: 'Auto contrast (visible channels)',
      isEnabled: () => current() !== null,
      execute: () => current()?.autoContrast(),
    });
    app.commands.addCommand(CommandIDs.setView, {
      label: 'Place the viewer',
      caption: 'args: centerX, centerY (level-0 pixels), zoom (screen pixels per level-0 pixel), z, t',
      isEnabled: () => current() !== null,
      execute: (args) => {
        const viewer = current();
        if (!viewer) return;
        const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
        const view = Object.fromEntries(Object.entries({ centerX: num(args.centerX), centerY: num(args.centerY), zoom: num(args.zoom) }).filter(([, v]) => v !== undefined));
        viewer.setView(view);
        if (num(args.z) !== undefined) viewer.setPlane('z', num(args.z)!);
        if (num(args.t) !== undefined) viewer.setPlane('t', num(args.t)!);
      },
    });
    const analyseArgs = (args: Record<string, unknown>, scope: 'visible' | 'image'): AnalyseArgs => ({
      scope,
      ...(typeof args.kind === 'string' ? { kind: args.kind } : {}),
      ...(typeof args.path === 'string' ? { path: args.path } : {}),
      ...(Array.isArray(args.channels) ? { channels: args.channels.map(Number) } : {}),
    });
    app.commands.addCommand(CommandIDs.analyseVisible, {
      label: 'Analyse the visible region (model or classifier)',
      caption: "Run the viewer's Analyse tool on the region in view; args: kind, path, channels",
      isEnabled: () => current() !== null,
      execute: (args) => current()?.analyse(analyseArgs(args, 'visible')),
    });
    app.commands.addCommand(CommandIDs.analyseImage, {
      label: 'Analyse the whole image plane (model or classifier)',
      caption: "Run the viewer's Analyse tool on the whole z/t plane; args: kind, path, channels",
      isEnabled: () => current() !== null,
      execute: (args) => current()?.analyse(analyseArgs(args, 'image')),
    });
    const selectedClassifier = (): string | undefined => {
      const item = fileBrowser?.selectedItems().next();
      return item && !item.done && item.value.type !== 'directory' && /\.fairio-rf$/i.test(item.value.name) ? item.value.path : undefined;
    };
    app.commands.addCommand(CommandIDs.applyClassifier, {
      label: 'Apply this pixel classifier in the viewer',
      caption: 'Run the selected classifier (.fairio-rf, from fairio classify train) on the region in view of the current NGFF viewer',
      isVisible: (args) => typeof args.path === 'string' || selectedClassifier() !== undefined,
      isEnabled: () => current() !== null,
      execute: (args) => {
        const path = typeof args.path === 'string' ? args.path : selectedClassifier();
        return path === undefined ? undefined : current()?.analyse({ kind: 'pixel-classifier', path, scope: 'visible', channels: [] });
      },
    });
    app.commands.addCommand(CommandIDs.cancelAnalysis, {
      label: 'Cancel the running analysis',
      isEnabled: () => current()?.analysisRunning ?? false,
      execute: () => current()?.cancelAnalysis(),
    });
    app.commands.addCommand(CommandIDs.toggleOverlay, {
      label: 'Show or hide the analysis result',
      isEnabled: () => current()?.hasOverlay ?? false,
      execute: () => current()?.toggleOverlay(),
    });
    if (palette) {
      for (const command of [CommandIDs.showBrowser, CommandIDs.openLocation, CommandIDs.resetView, CommandIDs.autoContrast, CommandIDs.analyseVisible, CommandIDs.analyseImage, CommandIDs.cancelAnalysis, CommandIDs.toggleOverlay]) {
        palette.addItem({ command, category: 'fairio' });
      }
    }
    if (restorer) {
      void restorer.restore(viewers, { command: CommandIDs.openViewer, args: (w) => ({ location: w.location.label, path: w.path }), name: (w) => `${w.location.label}#${w.path}` });
      void restorer.restore(plates, { command: CommandIDs.openPlate, args: (w) => ({ location: w.location.label, path: w.path }), name: (w) => `${w.location.label}#${w.path}` });
    }

    // Right-click on a *.zarr folder (the command hides itself for other items).
    app.contextMenu.addItem({ command: CommandIDs.open, selector: '.jp-DirListing-item[data-isdir="true"]', rank: 3 });
    // Right-click on a trained classifier (*.fairio-rf): apply it in the current viewer.
    app.contextMenu.addItem({ command: CommandIDs.applyClassifier, selector: '.jp-DirListing-item[data-isdir="false"]', rank: 3 });

    // Double-click on a *.zarr folder opens it here instead of entering it (a setting turns this off).
    if (fileBrowser) {
      fileBrowser.node.addEventListener(
        'dblclick',
        (event) => {
          if (!settings.openZarrOnDoubleClick) return;
          const item = (event.target as HTMLElement).closest('.jp-DirListing-item');
          const name = item?.querySelector('.jp-DirListing-itemText')?.textContent?.trim();
          if (!item || item.getAttribute('data-isdir') !== 'true' || !name || !isZarrFolder(name)) return;
          event.preventDefault();
          event.stopPropagation();
          void open(PathExt.join(fileBrowser.model.path, name));
        },
        true,
      );
    }

    if (settingRegistry) {
      void settingRegistry.load(PLUGIN_ID).then(
        (loaded) => {
          Object.assign(settings, readSettings(loaded.composite));
          loaded.changed.connect(() => {
            Object.assign(settings, readSettings(loaded.composite));
            viewers.forEach((viewer) => viewer.settingsChanged());
          });
        },
        (error: unknown) => console.warn(`${PLUGIN_ID}: settings not loaded, using defaults`, error),
      );
    }

    // Reopen what the sidebar showed before the reload.
    if (state) {
      void app.restored
        .then(() => state.fetch(STATE_KEY))
        .then((saved) => {
          const location = (saved as { location?: string } | undefined)?.location;
          if (location) void open(location, false);
        });
    }
  },
};
