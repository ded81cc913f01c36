import type { Csr } from "./csr.js";
import { type NmfModel, reconstructionError, transformNmf } from "./nmf.js";
import { assignTopics } from "./report.js";
import { rowNorms } from "./topic-terms.js";

/**
 * One hard-assignment step on a fitted model: each topic becomes the unit-length mean of the TF-IDF rows of
 * the tickets it labels (its strongest topic), and every ticket is projected again on those topics with H
 * fixed, as `label` projects new tickets (transformNmf). NMF's topics fit the whole matrix, shared words
 * included; the mean of a topic's own tickets is what those tickets have in common, so the labels move
 * towards the tickets they describe (one step of Lloyd's algorithm in NMF's assignment). A topic that
 * labels no ticket keeps its terms. O(nnz + k·cols) plus one projection.
 */
export function refineTopics(x: Csr, model: NmfModel): NmfModel {
  const { k, cols } = model;
  const { topic } = assignTopics(model.w, k);
  const h = new Float64Array(k * cols);
  for (let i = 0; i < x.rows; i++) {
    const t = topic[i]!;
    if (t < 0) continue;
    for (let p = x.indptr[i]!; p < x.indptr[i + 1]!; p++) h[t * cols + x.indices[p]!]! += x.data[p]!;
  }
  const norms = rowNorms(h, k, cols);
  for (let t = 0; t < k; t++) {
    const row = h.subarray(t * cols, (t + 1) * cols);
    if (norms[t]! > 0) for (let j = 0; j < cols; j++) row[j]! /= norms[t]!;
    else row.set(model.h.subarray(t * cols, (t + 1) * cols));
  }
  const w = transformNmf(x, h, k);
  return { ...model, w, h, reconstructionError: reconstructionError(x, w, h, k) };
}
