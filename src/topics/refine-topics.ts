import { runSteps, type Steps } from "../util/steps.js";
import type { Csr } from "./csr.js";
import { type NmfModel, reconstructionError, transformNmfSteps } from "./nmf.js";
import { assignTopics } from "./report.js";
import { rowNorms } from "./topic-terms.js";

/**
 * Refinement passes relabel makes: measured on the panel (docs/quality.md), a second and third pass still
 * raise NMI a little on the short-query corpora (clinc150 +0.004 from the second) and move nothing else.
 */
export const REFINE_PASSES = 3;

/**
 * Hard-assignment steps on a fitted model: each topic becomes the unit-length mean of the TF-IDF rows of
 * the tickets it labels (its strongest topic), and every ticket is projected again on those topics with H
 * fixed, as `label` projects new tickets (transformNmf). NMF's topics fit the whole matrix, shared words
 * included; the mean of a topic's own tickets is what those tickets have in common, so the labels move
 * towards the tickets they describe (Lloyd's algorithm in NMF's assignment, `passes` steps at most, fewer
 * when no ticket changes topic). A topic that labels no ticket keeps its terms. Each pass is
 * O(nnz + k·cols) plus one projection.
 */
export function refineTopics(x: Csr, model: NmfModel, passes = REFINE_PASSES): NmfModel {
  return runSteps(refineTopicsSteps(x, model, passes));
}

/** refineTopics, pausing in its projections (src/util/steps.ts). */
export function* refineTopicsSteps(x: Csr, model: NmfModel, passes = REFINE_PASSES): Steps<NmfModel> {
  const { k, cols } = model;
  let topic = assignTopics(model.w, k).topic;
  let { w, h } = model;
  for (let pass = 0; pass < passes; pass++) {
    h = topicMeans(x, topic, h, k, cols);
    w = yield* transformNmfSteps(x, h, k);
    const next = assignTopics(w, k).topic;
    const moved = next.some((t, i) => t !== topic[i]);
    topic = next;
    if (!moved) break;
  }
  return { ...model, w, h, reconstructionError: reconstructionError(x, w, h, k) };
}

/** Each topic the unit-length mean of its tickets' rows; a topic without tickets keeps its row of `previous`. */
function topicMeans(
  x: Csr,
  topic: Int32Array,
  previous: Float64Array,
  k: number,
  cols: number,
): Float64Array {
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
    else row.set(previous.subarray(t * cols, (t + 1) * cols));
  }
  return h;
}
