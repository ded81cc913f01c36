/**
 * Why a row was given a class: the terms whose value × class weight pushed the class's logit up
 * most. Weights of one feature sum to zero across classes at the optimum, so a positive
 * contribution means the term favours this class over the average class.
 */

/** A classifier's weights as the explanation reads them (logistic.ts `RowScorer`). */
export interface ClassWeights {
  readonly nClasses: number;
  weight(feature: number, classIndex: number): number;
}

export interface TermContributions {
  /** Feature indices, strongest first. */
  features: Int32Array;
  /** value × weight for the class, same order. */
  contributions: Float64Array;
}

/** Up to `limit` positive contributions of the row's terms to class `classIndex`, descending. */
export function topContributions(
  model: ClassWeights,
  indices: ArrayLike<number>,
  values: ArrayLike<number>,
  classIndex: number,
  limit: number,
): TermContributions {
  if (classIndex < 0 || classIndex >= model.nClasses)
    throw new RangeError(`class ${classIndex} out of range`);
  const order: number[] = [];
  const contribution = new Float64Array(indices.length);
  for (let p = 0; p < indices.length; p++) {
    contribution[p] = values[p]! * model.weight(indices[p]!, classIndex);
    if (contribution[p]! > 0) order.push(p);
  }
  // Ties broken by feature index so explanations are deterministic.
  order.sort((a, b) => contribution[b]! - contribution[a]! || indices[a]! - indices[b]!);
  const count = Math.min(limit, order.length);
  const features = new Int32Array(count);
  const contributions = new Float64Array(count);
  for (let t = 0; t < count; t++) {
    features[t] = indices[order[t]!]!;
    contributions[t] = contribution[order[t]!]!;
  }
  return { features, contributions };
}
