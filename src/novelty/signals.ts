import { gram } from "../linalg/dense.js";
import type { TopicModel } from "../topics/artifact.js";
import { type Csr, multiplyDense } from "../topics/csr.js";

/**
 * How much of each document the topic model leaves unexplained: the relative reconstruction
 * residual ‖xᵢ − wᵢ·H‖² / ‖xᵢ‖² of its TF-IDF row, in [0, 1] for the least-squares W of NMF's
 * transform. A document with no known term (‖xᵢ‖ = 0) is wholly unexplained: 1.
 */
export function relativeResiduals(x: Csr, w: Float64Array, h: Float64Array, k: number): Float64Array {
  const ht = new Float64Array(h.length);
  for (let t = 0; t < k; t++) for (let j = 0; j < x.cols; j++) ht[j * k + t] = h[t * x.cols + j]!;
  const xht = multiplyDense(x, ht, k, new Float64Array(x.rows * k));
  const hht = gram(ht, x.cols, k, new Float64Array(k * k));
  const out = new Float64Array(x.rows);
  for (let i = 0; i < x.rows; i++) {
    let norm = 0;
    for (let p = x.indptr[i]!; p < x.indptr[i + 1]!; p++) norm += x.data[p]! * x.data[p]!;
    if (norm === 0) {
      out[i] = 1;
      continue;
    }
    let cross = 0;
    let explained = 0;
    for (let a = 0; a < k; a++) {
      const wa = w[i * k + a]!;
      if (wa === 0) continue;
      cross += wa * xht[i * k + a]!;
      for (let b = 0; b < k; b++) explained += wa * w[i * k + b]! * hht[a * k + b]!;
    }
    out[i] = Math.min(1, Math.max(0, (norm - 2 * cross + explained) / norm));
  }
  return out;
}

/** Rows the model leaves at least `threshold` unexplained (relative residual): the novel ones. */
export function novelRows(
  model: Pick<TopicModel, "components" | "k">,
  labelled: { x: Csr; w: Float64Array },
  threshold: number,
): number[] {
  const residual = relativeResiduals(labelled.x, labelled.w, model.components, model.k);
  const rows: number[] = [];
  for (let i = 0; i < residual.length; i++) if (residual[i]! >= threshold) rows.push(i);
  return rows;
}
