import { npmiCoherence } from "../topics/coherence.js";
import type { Csr } from "../topics/csr.js";
import { fitNmf } from "../topics/nmf.js";
import { assignTopics } from "../topics/report.js";
import { fitTransformTfidf, type TfidfOptions, type TokenizedDocs } from "../topics/tfidf.js";
import { topTermIndices } from "../topics/topic-terms.js";

export interface ClusterOptions {
  /** Documents per NMF component: k = clamp(round(n / docsPerTopic), 2, maxK). */
  readonly docsPerTopic: number;
  readonly maxK: number;
  readonly seed: number;
  /** Top terms scored for coherence and shown. */
  readonly topTerms: number;
  /** Components whose members' centroids have at least this cosine are one cluster. */
  readonly mergeCosine: number;
  /**
   * A document whose cosine with its cluster's centroid is below this leaves the cluster: NMF gives
   * every document its strongest component, also one it shares (almost) no term with. 0.3, the
   * cohesion a proposal needs on average (docs/novelty.md): 0.2 let a quiet clinc150 week propose a
   * known intent with its stragglers.
   */
  readonly minMemberCosine: number;
}

export const defaultClusterOptions: ClusterOptions = {
  docsPerTopic: 30,
  maxK: 100,
  seed: 40,
  topTerms: 10,
  mergeCosine: 0.5,
  minMemberCosine: 0.3,
};

/** One or more merged NMF components of the pool and the documents whose strongest component they are. */
export interface PoolCluster {
  readonly terms: { term: string; weight: number }[];
  /** NPMI of the top terms over the pool's documents (src/topics/coherence.ts), in [−1, 1]. */
  readonly coherence: number;
  /** Mean cosine of the members' TF-IDF rows with their centroid, in [0, 1]: do members share terms. */
  readonly cohesion: number;
  /** Pool rows, strongest member first. */
  readonly members: number[];
  /** Each member's cosine with the cluster's centroid, in the order of `members`. */
  readonly closeness: number[];
  /** The component's non-zero term weights: what adoption adds to the topic model. */
  readonly component: { terms: string[]; weights: number[] };
}

/**
 * Clusters the novelty pool with the project's own topic model: TF-IDF (the topic model's options)
 * and NMF, each document going to its strongest component. Over-splitting is cheap here (small,
 * incoherent clusters are not proposed), so k grows with the pool. Documents from `referenceFrom` on
 * are reference (training) tickets: a pooled document whose most similar cluster members are mostly
 * reference ones leaves its cluster (`withoutNearReference`).
 */
export function clusterPool(
  docs: TokenizedDocs,
  tfidf: Partial<TfidfOptions>,
  options: ClusterOptions = defaultClusterOptions,
  referenceFrom = docs.length,
): PoolCluster[] {
  if (docs.length < 4) return [];
  let fitted: ReturnType<typeof fitTransformTfidf>;
  try {
    // The pool is small and may be mostly one kind: bounds written for a week of tickets would prune
    // its very terms. A term of two tickets can still mark a kind; a term in all of them is its name.
    // Plain idf whatever the topic model's: relabel's idf² split the pool's kinds less purely (banking77
    // 4 of 5 new intents at purity ≥ 0.8 instead of 5, docs/quality.md "Third round").
    fitted = fitTransformTfidf(docs, { ...tfidf, minDf: 2, maxDf: 1, maxFeatures: null, idfPower: 1 });
  } catch (error) {
    if (error instanceof RangeError) return [];
    throw error;
  }
  const { model, matrix: x } = fitted;
  const cols = model.vocabulary.length;
  const wanted = Math.max(2, Math.min(options.maxK, Math.round(docs.length / options.docsPerTopic)));
  const k = Math.min(wanted, x.rows, cols);
  const nmf = fitNmf(x, { k, seed: options.seed, tol: 1e-4, maxIter: 300 });
  const { topic } = assignTopics(nmf.w, k);
  const byComponent: number[][] = Array.from({ length: k }, () => []);
  for (let i = 0; i < x.rows; i++) if (topic[i]! >= 0) byComponent[topic[i]!]!.push(i);
  // k is a guess, so one kind may come out as several components: merge those whose members look alike.
  const groups = mergeSimilar(centroids(x, byComponent), options.mergeCosine);
  const h = new Float64Array(groups.length * cols);
  groups.forEach((group, g) => {
    for (const t of group) for (let j = 0; j < cols; j++) h[g * cols + j]! += nmf.h[t * cols + j]!;
  });
  const tops = groups.map((_, g) => topTermIndices(h, cols, g, options.topTerms));
  const coherence = npmiCoherence(x, tops);
  const close = closeMembers(
    x,
    groups.map((group) => group.flatMap((t) => byComponent[t]!)),
    options.minMemberCosine,
  );
  const members = groups.map((group, g) => {
    const strength = (i: number) => Math.max(...group.map((t) => nmf.w[i * k + t]!));
    return withoutNearReference(x, close[g]!, referenceFrom).sort(
      (a, b) => strength(b) - strength(a) || a - b,
    );
  });
  const closeness = centroidCosines(x, members);
  const cohesion = Float64Array.from(closeness, (c) =>
    c.length > 0 ? c.reduce((a, b) => a + b, 0) / c.length : 0,
  );
  return members.map((rows, g) => {
    const component = { terms: [] as string[], weights: [] as number[] };
    for (let j = 0; j < cols; j++) {
      const weight = h[g * cols + j]!;
      if (weight > 0) {
        component.terms.push(model.vocabulary[j]!);
        component.weights.push(weight);
      }
    }
    return {
      terms: Array.from(tops[g]!, (j) => ({ term: model.vocabulary[j]!, weight: h[g * cols + j]! })),
      coherence: coherence[g]!,
      cohesion: cohesion[g]!,
      members: rows,
      closeness: Array.from(closeness[g]!),
      component,
    };
  });
}

type SparseVector = Map<number, number>;

function centroids(x: Csr, groups: readonly number[][]): SparseVector[] {
  return groups.map((rows) => {
    const centroid: SparseVector = new Map();
    for (const i of rows)
      for (let p = x.indptr[i]!; p < x.indptr[i + 1]!; p++)
        centroid.set(x.indices[p]!, (centroid.get(x.indices[p]!) ?? 0) + x.data[p]!);
    return centroid;
  });
}

function cosine(a: SparseVector, b: SparseVector): number {
  let dot = 0;
  for (const [j, v] of a) dot += v * (b.get(j) ?? 0);
  const norm = (m: SparseVector) => Math.sqrt([...m.values()].reduce((sum, v) => sum + v * v, 0));
  const denominator = norm(a) * norm(b);
  return denominator > 0 ? dot / denominator : 0;
}

/** Single-linkage groups of items whose vectors have cosine ≥ threshold; groups in order of their first item. */
function mergeSimilar(vectors: SparseVector[], threshold: number): number[][] {
  const parent = vectors.map((_, i) => i);
  const root = (i: number): number => {
    while (parent[i] !== i) i = parent[i]!;
    return i;
  };
  for (let a = 0; a < vectors.length; a++)
    for (let b = a + 1; b < vectors.length; b++)
      if (vectors[a]!.size > 0 && vectors[b]!.size > 0 && cosine(vectors[a]!, vectors[b]!) >= threshold)
        parent[Math.max(root(a), root(b))] = Math.min(root(a), root(b));
  const groups = new Map<number, number[]>();
  vectors.forEach((_, i) => {
    const r = root(i);
    groups.set(r, [...(groups.get(r) ?? []), i]);
  });
  return [...groups.values()];
}

/** Per group of rows: each (L2-normalized) row's cosine with the group's centroid. */
function centroidCosines(x: Csr, groups: readonly number[][]): Float64Array[] {
  const all = centroids(x, groups);
  return groups.map((rows, g) => {
    const centroid = all[g]!;
    let norm = 0;
    for (const v of centroid.values()) norm += v * v;
    return Float64Array.from(rows, (i) => {
      let dot = 0;
      for (let p = x.indptr[i]!; p < x.indptr[i + 1]!; p++)
        dot += x.data[p]! * (centroid.get(x.indices[p]!) ?? 0);
      return norm > 0 ? dot / Math.sqrt(norm) : 0;
    });
  });
}

/** Per group: the rows whose cosine with the group's centroid is at least `threshold`. */
function closeMembers(x: Csr, groups: readonly number[][], threshold: number): number[][] {
  const cosines = centroidCosines(x, groups);
  return groups.map((rows, g) => rows.filter((_, n) => cosines[g]![n]! >= threshold));
}

/**
 * The rows of a cluster without its pooled rows (< referenceFrom) that are of a kind the reference
 * has: those whose most similar other members (all of them when tied) are more often reference rows
 * than pooled ones — the two-sample neighbourhood test of src/novelty/signals.ts at one neighbour,
 * inside the cluster. A surging kind pulls the pooled tickets of a known sibling into its cluster;
 * their nearest neighbours are the sibling's training tickets. Rows are L2-normalized: dot = cosine.
 * Quadratic in the cluster's size (a pool of 600–700 tickets: well under a second).
 */
function withoutNearReference(x: Csr, rows: number[], referenceFrom: number): number[] {
  const vectors: SparseVector[] = rows.map((i) => {
    const v: SparseVector = new Map();
    for (let p = x.indptr[i]!; p < x.indptr[i + 1]!; p++) v.set(x.indices[p]!, x.data[p]!);
    return v;
  });
  const dot = (a: SparseVector, b: SparseVector) => {
    let sum = 0;
    for (const [j, v] of a) sum += v * (b.get(j) ?? 0);
    return sum;
  };
  return rows.filter((row, a) => {
    if (row >= referenceFrom) return true;
    let best = Number.NEGATIVE_INFINITY;
    let pooled = 0;
    let reference = 0;
    rows.forEach((other, b) => {
      if (b === a) return;
      const similarity = dot(vectors[a]!, vectors[b]!);
      if (similarity > best + 1e-9) {
        best = similarity;
        pooled = 0;
        reference = 0;
      }
      if (similarity >= best - 1e-9) {
        if (other >= referenceFrom) reference++;
        else pooled++;
      }
    });
    return reference <= pooled;
  });
}
