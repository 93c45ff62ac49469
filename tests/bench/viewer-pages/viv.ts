/// <reference lib="dom" />
/**
 * The second reference of the viewer benchmark, bundled with esbuild into a
 * static page: Viv (npm @hms-dbmi/viv, the engine of vizarr, which is not on
 * npm itself) with deck.gl in WebGL2: `loadOmeZarr` and a
 * `MultiscaleImageLayer` fitted to the canvas, timed to Viv's
 * `onViewportLoad` (every tile in view loaded) and the frame after it.
 */
import { Deck, OrthographicView } from '@deck.gl/core';
import { loadOmeZarr, MultiscaleImageLayer } from '@hms-dbmi/viv';

async function show(url: string): Promise<{ ms: number; tiles: number }> {
  const canvas = document.querySelector('canvas')!;
  const started = performance.now();
  const { data } = await loadOmeZarr(url, { type: 'multiscales' });
  const [height, width] = data[0].shape.slice(-2);
  const zoom = Math.log2(Math.min(canvas.width / width, canvas.height / height));
  let tiles = 0;
  await new Promise<void>((resolve, reject) => {
    // Viv's and deck.gl's prop types are looser than their declarations (selections of a 2D image are `{}`).
    const layer = new MultiscaleImageLayer({
      id: 'image',
      loader: data,
      selections: [{}],
      contrastLimits: [[0, 4000]],
      colors: [[255, 255, 255]],
      channelsVisible: [true],
      onViewportLoad: (loaded: unknown[]) => {
        tiles = loaded.length;
        resolve();
      },
      onTileError: (error: Error) => reject(error),
    } as never);
    new Deck({ canvas, width: canvas.width, height: canvas.height, views: [new OrthographicView({ id: 'ortho' })], initialViewState: { target: [width / 2, height / 2, 0], zoom }, layers: [layer], onError: (error: Error) => reject(error) } as never);
  });
  // On screen: two frames after the tiles arrived (deck.gl redraws on the next one).
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  return { ms: performance.now() - started, tiles };
}

(window as unknown as { showReference: typeof show }).showReference = show;
