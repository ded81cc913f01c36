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
  features: number[];
  /** value × weight for the class, same order. */
  contributions: number[];
}

/**
 * Up to `limit` positive contributions of the row's terms to class `classIndex`, descending, ties
 * broken by feature index so explanations are deterministic. Kept by insertion into the `limit`
 * best so far (a handful), not by sorting every term: the API's hot path, where the sort and its
 * scratch arrays cost more than the rest of the explanation; the order is the same total order.
 */
export function topContributions(
  model: ClassWeights,
  indices: ArrayLike<number>,
  values: ArrayLike<number>,
  classIndex: number,
  limit: number,
): TermContributions {
  if (classIndex < 0 || classIndex >= model.nClasses)
    throw new RangeError(`class ${classIndex} out of range`);
  const features: number[] = [];
  const contributions: number[] = [];
  for (let p = 0; p < indices.length; p++) {
    const feature = indices[p]!;
    const contribution = values[p]! * model.weight(feature, classIndex);
    if (!(contribution > 0)) continue;
    let at = features.length;
    while (at > 0 && stronger(contribution, feature, contributions[at - 1]!, features[at - 1]!)) at--;
    if (at >= limit) continue;
    // Shift the weaker ones down one place (the weakest falls off once `limit` are held).
    for (let q = Math.min(features.length, limit - 1); q > at; q--) {
      features[q] = features[q - 1]!;
      contributions[q] = contributions[q - 1]!;
    }
    features[at] = feature;
    contributions[at] = contribution;
  }
  return { features, contributions };
}

function stronger(contribution: number, feature: number, than: number, thanFeature: number): boolean {
  return contribution > than || (contribution === than && feature < thanFeature);
}
