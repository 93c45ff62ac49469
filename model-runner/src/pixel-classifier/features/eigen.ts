/**
 * Eigenvalues of symmetric 2×2 and 3×3 matrices (structure tensors,
 * Hessians), in closed form, in double precision, largest first — the order
 * vigra's tensorEigenvalues returns.
 *
 * The 3×3 solution works on the trace-free matrix A − (tr A / 3)·I, so small
 * eigenvalues of a tensor with a large trace keep their precision. (vigra
 * evaluates the characteristic polynomial of A itself, partly in float32;
 * for nearly degenerate 3D structure tensors its float32 results then move
 * by up to a few percent of the feature's range from the exact values,
 * which these match — see features.test.ts.)
 */

/** Eigenvalues of [[a00, a01], [a01, a11]], largest first, into out[0..1]. */
export function symmetricEigenvalues2(a00: number, a01: number, a11: number, out: Float64Array): void {
  const mean = 0.5 * (a00 + a11);
  const half = 0.5 * Math.hypot(a00 - a11, 2 * a01);
  out[0] = mean + half;
  out[1] = mean - half;
}

/**
 * Eigenvalues of [[a00, a01, a02], [a01, a11, a12], [a02, a12, a22]], largest
 * first, into out[0..2] (trigonometric solution of the characteristic cubic
 * of the trace-free part).
 */
export function symmetricEigenvalues3(a00: number, a01: number, a02: number, a11: number, a12: number, a22: number, out: Float64Array): void {
  const offDiagonal = a01 * a01 + a02 * a02 + a12 * a12;
  const q = (a00 + a11 + a22) / 3;
  const d0 = a00 - q;
  const d1 = a11 - q;
  const d2 = a22 - q;
  const p2 = d0 * d0 + d1 * d1 + d2 * d2 + 2 * offDiagonal;
  if (p2 === 0) {
    out[0] = out[1] = out[2] = q;
    return;
  }
  const p = Math.sqrt(p2 / 6);
  // det(A − qI) / (2p³), clamped against rounding.
  const det = d0 * (d1 * d2 - a12 * a12) - a01 * (a01 * d2 - a12 * a02) + a02 * (a01 * a12 - d1 * a02);
  let r = det / (2 * p * p * p);
  r = r <= -1 ? -1 : r >= 1 ? 1 : r;
  const phi = Math.acos(r) / 3;
  const e0 = q + 2 * p * Math.cos(phi);
  const e2 = q + 2 * p * Math.cos(phi + (2 * Math.PI) / 3);
  out[0] = e0;
  out[1] = 3 * q - e0 - e2;
  out[2] = e2;
}
