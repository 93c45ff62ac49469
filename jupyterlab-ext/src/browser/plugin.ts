/**
 * The NGFF browser plugin: puts the sidebar in the shell (restored across
 * reloads by the layout restorer, together with the last store it showed),
 * registers the commands, the palette entries and the file browser hooks
 * (double-click and context menu on `*.zarr` folders), and reads settings.
 */
import { ILayoutRestorer, type JupyterFrontEnd, type JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette, InputDialog } from '@jupyterlab/apputils';
import { IDefaultFileBrowser } from '@jupyterlab/filebrowser';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { IStateDB } from '@jupyterlab/statedb';
import { PathExt } from '@jupyterlab/coreutils';
import { CommandIDs } from '../commands.js';
import { pyramidIcon } from '../icon.js';
import { NgffBrowserPanel, type OpenRequest } from './panel.js';
import { defaultSettings, readSettings, type BrowserSettings } from './settings.js';

const PLUGIN_ID = 'jupyterlab-fairio:browser';
const STATE_KEY = `${PLUGIN_ID}:state`;

/** Hooks other parts of the extension (the viewer) attach to. */
export interface BrowserContext {
  app: JupyterFrontEnd;
  panel: NgffBrowserPanel;
  settings: () => BrowserSettings;
  restorer: ILayoutRestorer | null;
}

/** Set by the viewer module: what to do when the sidebar asks to view something. */
export type OpenHandler = (context: BrowserContext, request: OpenRequest) => void;

const handlers: OpenHandler[] = [];

/** Register what opens images and plates (kept apart so the sidebar works without the viewer). */
export function onOpenRequest(handler: OpenHandler): void {
  handlers.push(handler);
}

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
    let settings: BrowserSettings = defaultSettings();
    const context: BrowserContext = { app, panel, settings: () => settings, restorer };
    app.shell.add(panel, 'left', { rank: 600 });
    restorer?.add(panel, panel.id);

    panel.openRequested.connect((_, request) => {
      for (const handler of handlers) handler(context, request);
    });

    const open = async (location: string) => {
      app.shell.activateById(panel.id);
      const root = await panel.open(location);
      if (root && state) await state.save(STATE_KEY, { location });
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
    if (palette) {
      for (const command of [CommandIDs.showBrowser, CommandIDs.openLocation]) palette.addItem({ command, category: 'fairio' });
    }

    // Right-click on a *.zarr folder (the command hides itself for other items).
    app.contextMenu.addItem({ command: CommandIDs.open, selector: '.jp-DirListing-item[data-isdir="true"]', rank: 3 });

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
          settings = readSettings(loaded.composite);
          loaded.changed.connect(() => (settings = readSettings(loaded.composite)));
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
          if (location) void panel.open(location);
        });
    }
  },
};
