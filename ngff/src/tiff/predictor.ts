/**
 * Undo TIFF predictors in place, row by row, on decoded chunk bytes.
 * Horizontal differencing (Predictor 2) works on samples in host byte order,
 * so big-endian data is byte-swapped first; the floating-point predictor (3)
 * works on bytes and yields host order itself (it stores byte planes MSB first).
 */

const hostLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Predictor 2. `rowSamples` = values per row (columns × samples in the
 * chunk), `stride` = samples per pixel in the chunk. `bytes` must be aligned.
 */
export function undoHorizontal(bytes: Uint8Array, bytesPerSample: number, rowSamples: number, rows: number, stride: number): void {
  switch (bytesPerSample) {
    case 1:
      accumulate8(bytes, rowSamples, rows, stride);
      return;
    case 2:
      accumulate16(new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.length >> 1), rowSamples, rows, stride);
      return;
    case 4:
      accumulate32(new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length >> 2), rowSamples, rows, stride);
      return;
    default:
      throw new Error(`horizontal predictor on ${8 * bytesPerSample}-bit samples is not supported`);
  }
}

// Unsigned typed arrays wrap on assignment, which is exactly the modular sum
// the predictor needs. One function per array type keeps each loop monomorphic.
function accumulate8(a: Uint8Array, rowSamples: number, rows: number, stride: number): void {
  for (let r = 0; r < rows; r++) {
    const end = (r + 1) * rowSamples;
    for (let i = r * rowSamples + stride; i < end; i++) a[i] += a[i - stride];
  }
}

function accumulate16(a: Uint16Array, rowSamples: number, rows: number, stride: number): void {
  for (let r = 0; r < rows; r++) {
    const end = (r + 1) * rowSamples;
    for (let i = r * rowSamples + stride; i < end; i++) a[i] += a[i - stride];
  }
}

function accumulate32(a: Uint32Array, rowSamples: number, rows: number, stride: number): void {
  for (let r = 0; r < rows; r++) {
    const end = (r + 1) * rowSamples;
    for (let i = r * rowSamples + stride; i < end; i++) a[i] += a[i - stride];
  }
}

/** Predictor 3 (Adobe floating point): byte-wise differencing, then byte planes back into values. */
export function undoFloatingPoint(bytes: Uint8Array, bytesPerSample: number, rowSamples: number, rows: number, stride: number): void {
  const rowBytes = rowSamples * bytesPerSample;
  const tmp = new Uint8Array(rowBytes);
  for (let r = 0; r < rows; r++) {
    const row = bytes.subarray(r * rowBytes, (r + 1) * rowBytes);
    for (let i = stride; i < rowBytes; i++) row[i] += row[i - stride];
    tmp.set(row);
    for (let b = 0; b < bytesPerSample; b++) {
      // Plane 0 holds the most significant bytes.
      const plane = b * rowSamples;
      const target = hostLittleEndian ? bytesPerSample - 1 - b : b;
      for (let i = 0; i < rowSamples; i++) row[i * bytesPerSample + target] = tmp[plane + i];
    }
  }
}
