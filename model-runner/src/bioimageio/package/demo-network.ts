/**
 * fairio's own small model, built here rather than shipped: a real ONNX
 * network of fixed filters that turns a nucleus stain (e.g. DAPI) into a
 * nucleus probability map. One 31×31 convolution computes two feature maps
 * of the normalised image — a Gaussian smoothing (σ 2 px, intensity) and a
 * scale-normalised negative Laplacian of Gaussian (σ 5 px, "blobness" of
 * nuclei 7–15 px across) — and a 1×1 convolution combines them into logits;
 * the description adds a sigmoid as post-processing. Its receptive field
 * reaches 15 px, so a halo of 16 px makes tiled prediction exact.
 * No Node imports.
 */
import { encodeOnnxModel } from '../onnx/proto.js';

export const DEMO_RADIUS = 15;
export const DEMO_HALO = 16;
const SMOOTH_SIGMA = 2;
const BLOB_SIGMA = 5;
/** logits = INTENSITY · smooth + BLOBNESS · blob + BIAS, for inputs scaled to [0, 1] by percentiles. */
const INTENSITY = 10;
const BLOBNESS = 12;
const BIAS = -5;

function gaussianKernel(sigma: number, radius: number): Float64Array {
  const k = 2 * radius + 1;
  const out = new Float64Array(k * k);
  let sum = 0;
  for (let y = -radius; y <= radius; y++) {
    for (let x = -radius; x <= radius; x++) {
      const v = Math.exp(-(x * x + y * y) / (2 * sigma * sigma));
      out[(y + radius) * k + (x + radius)] = v;
      sum += v;
    }
  }
  return out.map((v) => v / sum);
}

/** −σ²·∇²G, made zero-sum so flat regions give 0. */
function negativeLogKernel(sigma: number, radius: number): Float64Array {
  const k = 2 * radius + 1;
  const out = new Float64Array(k * k);
  const s2 = sigma * sigma;
  let mean = 0;
  for (let y = -radius; y <= radius; y++) {
    for (let x = -radius; x <= radius; x++) {
      const r2 = x * x + y * y;
      const v = (-(r2 - 2 * s2) / (s2 * s2)) * Math.exp(-r2 / (2 * s2)) / (2 * Math.PI * s2);
      out[(y + radius) * k + (x + radius)] = s2 * v;
      mean += s2 * v;
    }
  }
  mean /= k * k;
  return out.map((v) => v - mean);
}

/** The demo network as ONNX bytes: input "raw" [B, 1, H, W] float32 → output "logits" [B, 1, H, W]. */
export function buildDemoNetwork(version = '0.1.0'): Uint8Array {
  const k = 2 * DEMO_RADIUS + 1;
  const filters = new Float32Array(2 * k * k);
  filters.set(gaussianKernel(SMOOTH_SIGMA, DEMO_RADIUS), 0);
  filters.set(negativeLogKernel(BLOB_SIGMA, DEMO_RADIUS), k * k);
  return encodeOnnxModel({
    graphName: 'fairio_nuclei_demo',
    producer: { name: 'fairio', version },
    opset: 17,
    docString: 'fairio demo: fixed Gaussian and Laplacian-of-Gaussian filters combined into nucleus logits',
    inputs: [{ name: 'raw', elementType: 'float32', dims: ['batch', 1, 'height', 'width'] }],
    outputs: [{ name: 'logits', elementType: 'float32', dims: ['batch', 1, 'height', 'width'] }],
    initializers: [
      { name: 'filters', dims: [2, 1, k, k], values: filters },
      { name: 'combine', dims: [1, 2, 1, 1], values: new Float32Array([INTENSITY, BLOBNESS]) },
      { name: 'bias', dims: [1], values: new Float32Array([BIAS]) },
    ],
    nodes: [
      { opType: 'Conv', inputs: ['raw', 'filters'], outputs: ['features'], name: 'filters', attributes: [{ name: 'kernel_shape', ints: [k, k] }, { name: 'pads', ints: [DEMO_RADIUS, DEMO_RADIUS, DEMO_RADIUS, DEMO_RADIUS] }] },
      { opType: 'Conv', inputs: ['features', 'combine', 'bias'], outputs: ['logits'], name: 'combine', attributes: [{ name: 'kernel_shape', ints: [1, 1] }] },
    ],
  });
}
