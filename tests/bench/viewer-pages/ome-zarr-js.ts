/// <reference lib="dom" />
/**
 * The reference side of the viewer benchmark, bundled with esbuild into a
 * static page: ome-zarr.js (npm) renders the pyramid level the fairio viewer
 * shows for the canvas — the same view as its first, fitted one — and the
 * page draws it, scaled to fit, on a canvas of the same size.
 */
import { NgffImage } from 'ome-zarr.js';

interface Rendered {
  ms: number;
  width: number;
  height: number;
}

async function show(url: string, targetSize: number): Promise<Rendered> {
  const canvas = document.querySelector('canvas')!;
  const started = performance.now();
  const image = await NgffImage.load(url);
  // ome-zarr.js renders the largest level whose longer side is not above targetSize.
  const { data, width, height } = await image.renderRgba({ targetSize, maxSize: 8192 });
  const level = new OffscreenCanvas(width, height);
  level.getContext('2d')!.putImageData(new ImageData(new Uint8ClampedArray(data), width, height), 0, 0);
  const scale = Math.min(canvas.width / width, canvas.height / height);
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(level, (canvas.width - width * scale) / 2, (canvas.height - height * scale) / 2, width * scale, height * scale);
  // On screen: the frame after the draw.
  await new Promise((resolve) => requestAnimationFrame(resolve));
  return { ms: performance.now() - started, width, height };
}

(window as unknown as { showReference: typeof show }).showReference = show;
