/**
 * The bundled sample: a small synthetic fluorescence image made here, so the
 * project ships no third-party data. Nuclei are ellipsoidal blobs (channel
 * "DAPI"), a membrane-like ring marks each cell (channel "GFP"), on an
 * uneven background with photon (Poisson-like) and camera noise. Seeded, so
 * every run makes the same bytes.
 */

export interface SampleOptions {
  width?: number;
  height?: number;
  depth?: number;
  nuclei?: number;
  seed?: number;
}

export interface Nucleus {
  x: number;
  y: number;
  z: number;
  /** Semi-axes in pixels (x, y, z). */
  radii: [number, number, number];
  brightness: number;
}

export interface SyntheticSample {
  width: number;
  height: number;
  depth: number;
  channels: { name: string; color: string }[];
  /** Pixel size in micrometres (x, y, z). */
  physicalSize: { x: number; y: number; z: number };
  nuclei: Nucleus[];
  /** Planes in OME "XYZCT" order: z fastest, then channel. */
  planes(): Generator<Uint16Array>;
}

/** Mulberry32: a tiny, good-enough seeded PRNG. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(rand: () => number): number {
  const u = 1 - rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

export function syntheticSample(options: SampleOptions = {}): SyntheticSample {
  const width = options.width ?? 512;
  const height = options.height ?? 512;
  const depth = options.depth ?? 8;
  const rand = random(options.seed ?? 20261124);
  const nuclei: Nucleus[] = [];
  for (let tries = 0; nuclei.length < (options.nuclei ?? Math.round((width * height) / 2700)) && tries < 10_000; tries++) {
    const r = 9 + rand() * 7;
    const n: Nucleus = {
      x: r + rand() * (width - 2 * r),
      y: r + rand() * (height - 2 * r),
      z: depth / 2 + (rand() - 0.5) * depth * 0.3,
      radii: [r * (0.8 + rand() * 0.4), r * (0.8 + rand() * 0.4), Math.max(1.5, depth * 0.3)],
      brightness: 1800 + rand() * 1800,
    };
    // Keep nuclei apart so they look like cells, not clumps.
    if (nuclei.every((m) => Math.hypot(m.x - n.x, m.y - n.y) > (m.radii[0] + n.radii[0]) * 1.1)) nuclei.push(n);
  }

  function* planes(): Generator<Uint16Array> {
    const noise = random((options.seed ?? 20261124) ^ 0x9e3779b9);
    for (let c = 0; c < 2; c++) {
      for (let z = 0; z < depth; z++) {
        const plane = new Uint16Array(width * height);
        for (let y = 0; y < height; y++) {
          for (let x = 0; x < width; x++) {
            // Uneven illumination: brighter towards the centre.
            let signal = 100 + 40 * Math.exp(-(((x - width / 2) / width) ** 2 + ((y - height / 2) / height) ** 2) * 4);
            for (const n of nuclei) {
              const dx = (x - n.x) / n.radii[0];
              const dy = (y - n.y) / n.radii[1];
              const dz = (z - n.z) / n.radii[2];
              const d2 = dx * dx + dy * dy + dz * dz;
              if (d2 > 4) continue;
              if (c === 0) signal += n.brightness / (1 + Math.exp((Math.sqrt(d2) - 1) * 8)); // soft-edged nucleus
              else signal += 0.45 * n.brightness * Math.exp(-(((Math.sqrt(d2) - 1.6) / 0.18) ** 2)); // ring around it
            }
            const photons = signal + Math.sqrt(signal) * gaussian(noise); // shot noise
            const value = photons + 6 * gaussian(noise); // read noise
            plane[y * width + x] = Math.max(0, Math.min(65535, Math.round(value)));
          }
        }
        yield plane;
      }
    }
  }

  return {
    width,
    height,
    depth,
    channels: [
      { name: 'DAPI', color: '0000FF' },
      { name: 'GFP', color: '00FF00' },
    ],
    physicalSize: { x: 0.325, y: 0.325, z: 1.0 },
    nuclei,
    planes,
  };
}

/** OME-XML describing a single-image, uint16 OME-TIFF in XYZCT order. */
export function sampleOmeXml(sample: SyntheticSample, name: string): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
  // OME colours are signed 32-bit RGBA integers.
  const omeColor = (hex: string) => (parseInt(`${hex}FF`, 16) | 0).toString();
  const channels = sample.channels
    .map((c, i) => `<Channel ID="Channel:0:${i}" Name="${esc(c.name)}" Color="${omeColor(c.color)}" SamplesPerPixel="1"><LightPath/></Channel>`)
    .join('');
  const planeCount = sample.depth * sample.channels.length;
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<OME xmlns="http://www.openmicroscopy.org/Schemas/OME/2016-06" Creator="fairio">` +
    `<Image ID="Image:0" Name="${esc(name)}">` +
    `<Pixels ID="Pixels:0" DimensionOrder="XYZCT" Type="uint16" BigEndian="false" SizeX="${sample.width}" SizeY="${sample.height}" SizeZ="${sample.depth}" SizeC="${sample.channels.length}" SizeT="1" ` +
    `PhysicalSizeX="${sample.physicalSize.x}" PhysicalSizeXUnit="µm" PhysicalSizeY="${sample.physicalSize.y}" PhysicalSizeYUnit="µm" PhysicalSizeZ="${sample.physicalSize.z}" PhysicalSizeZUnit="µm">` +
    channels +
    `<TiffData IFD="0" PlaneCount="${planeCount}"/>` +
    `</Pixels></Image></OME>`
  );
}
