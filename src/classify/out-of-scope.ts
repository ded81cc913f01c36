/**
 * How likely a ticket is to belong to none of the router's topics: 1 − p_max · coverage, where p_max is
 * the classifier's top class probability (the maximum-softmax-probability baseline of Hendrycks &
 * Gimpel, 2017) and coverage the share of the ticket's terms the router's vocabulary knows — a
 * confident guess from two known words of twenty is still a guess. In [0, 1]; 1 when no term is known.
 */
export function outOfScopeScore(topProbability: number, knownTerms: number, terms: number): number {
  if (terms === 0 || knownTerms === 0) return 1;
  return 1 - topProbability * (knownTerms / terms);
}
