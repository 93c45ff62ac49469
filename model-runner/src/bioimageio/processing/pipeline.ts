/**
 * Composing a tensor's described steps into ops, and gathering the
 * statistics they need by the tensor they are measured on (a step may refer
 * to another tensor, e.g. an output scaled to the input's range).
 */
import type { TensorSpec } from '../spec/model.js';
import { createOp, type ProcessingOp } from './ops.js';
import { measureKey, type Measure } from './stats.js';

export interface TensorProcessing {
  tensorId: string;
  ops: ProcessingOp[];
}

export function processingFor(tensor: TensorSpec): TensorProcessing {
  return { tensorId: tensor.id, ops: tensor.processing.map((step) => createOp(step, tensor.id)) };
}

/** Unique measures of all ops, grouped by the tensor they are computed on. */
export function measuresByTensor(all: TensorProcessing[]): Map<string, Measure[]> {
  const seen = new Set<string>();
  const out = new Map<string, Measure[]>();
  for (const m of all.flatMap((p) => p.ops.flatMap((op) => op.measures))) {
    const key = measureKey(m);
    if (seen.has(key)) continue;
    seen.add(key);
    if (!out.has(m.tensorId)) out.set(m.tensorId, []);
    out.get(m.tensorId)!.push(m);
  }
  return out;
}
