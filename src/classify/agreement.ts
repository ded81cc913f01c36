/**
 * How well a clustering (e.g. NMF topics) agrees with true classes: normalized mutual information as
 * scikit-learn's normalized_mutual_info_score computes it (arithmetic mean of the two entropies,
 * natural log), and the seed's majority mapping of each cluster to its most frequent true class.
 */

/** NMI of two labelings of the same rows; labels are any integers. */
export function normalizedMutualInfo(labelsTrue: Int32Array, labelsPred: Int32Array): number {
  if (labelsTrue.length !== labelsPred.length) throw new RangeError("labelings differ in length");
  const n = labelsTrue.length;
  const { codes: a, count: nA } = compact(labelsTrue);
  const { codes: b, count: nB } = compact(labelsPred);
  // Both labelings trivial (one or no cluster): a perfect match by scikit-learn's convention.
  if (nA === nB && nA <= 1) return 1;
  if (nA === 1 || nB === 1) return 0;

  const joint = new Float64Array(nA * nB);
  const rowSums = new Float64Array(nA);
  const colSums = new Float64Array(nB);
  for (let i = 0; i < n; i++) {
    joint[a[i]! * nB + b[i]!]!++;
    rowSums[a[i]!]!++;
    colSums[b[i]!]!++;
  }
  let mi = 0;
  for (let r = 0; r < nA; r++) {
    for (let c = 0; c < nB; c++) {
      const count = joint[r * nB + c]!;
      if (count === 0) continue;
      const term = (count / n) * (Math.log(count) + Math.log(n) - Math.log(rowSums[r]! * colSums[c]!));
      // scikit-learn drops terms below machine epsilon and clips the sum at 0.
      if (Math.abs(term) >= Number.EPSILON) mi += term;
    }
  }
  mi = Math.max(0, mi);
  if (mi === 0) return 0;
  return mi / ((entropy(rowSums, n) + entropy(colSums, n)) / 2);
}

export interface MajorityMapping {
  /** mapping[cluster] = its most frequent true class (lowest index on ties), −1 for an empty cluster. */
  mapping: Int32Array;
  /** Each row's cluster replaced by the cluster's class. */
  predictions: Int32Array;
}

export function majorityMapping(
  clusters: Int32Array,
  truth: Int32Array,
  nClusters: number,
  nClasses: number,
): MajorityMapping {
  if (clusters.length !== truth.length) throw new RangeError("clusters and truth differ in length");
  const counts = new Int32Array(nClusters * nClasses);
  for (let i = 0; i < clusters.length; i++) {
    const cluster = clusters[i]!;
    const label = truth[i]!;
    if (cluster < 0 || cluster >= nClusters)
      throw new RangeError(`cluster ${cluster} outside [0, ${nClusters})`);
    if (label < 0 || label >= nClasses) throw new RangeError(`class ${label} outside [0, ${nClasses})`);
    counts[cluster * nClasses + label]!++;
  }
  const mapping = new Int32Array(nClusters).fill(-1);
  for (let cluster = 0; cluster < nClusters; cluster++) {
    let best = 0;
    for (let k = 0; k < nClasses; k++) {
      const count = counts[cluster * nClasses + k]!;
      if (count > best) {
        best = count;
        mapping[cluster] = k;
      }
    }
  }
  const predictions = new Int32Array(clusters.length);
  for (let i = 0; i < clusters.length; i++) predictions[i] = mapping[clusters[i]!]!;
  return { mapping, predictions };
}

/** Labels renumbered 0..count−1 in order of first appearance. */
function compact(labels: Int32Array): { codes: Int32Array; count: number } {
  const index = new Map<number, number>();
  const codes = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    let code = index.get(labels[i]!);
    if (code === undefined) {
      code = index.size;
      index.set(labels[i]!, code);
    }
    codes[i] = code;
  }
  return { codes, count: index.size };
}

function entropy(counts: Float64Array, n: number): number {
  let h = 0;
  for (let k = 0; k < counts.length; k++) {
    const c = counts[k]!;
    if (c > 0) h -= (c / n) * Math.log(c / n);
  }
  return h;
}
