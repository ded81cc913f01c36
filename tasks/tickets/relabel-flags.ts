import { type Bound, boundsProblem, positive, share, wholeAtLeast } from "../flag-bounds.js";

/** relabel's number flags and their ranges (TF-IDF's are checked by tfidf-flags.ts). */
const relabelBounds: Record<string, Bound> = {
  k: wholeAtLeast(1),
  "k-min": wholeAtLeast(1),
  "k-max": wholeAtLeast(1),
  "max-iter": wholeAtLeast(1),
  tol: positive,
  "max-features": wholeAtLeast(1),
  "assign-threshold": share,
  "match-threshold": share,
  sample: wholeAtLeast(0),
};

/**
 * relabel's flags, checked before the step starts. The k search grows its candidates from --k-min by
 * ×√2 until --k-max, so a --k-min of 0 or below never reached the end (the step hung, deaf to SIGTERM,
 * in one synchronous loop); --max-iter -1 published a topic model fitted in no iteration.
 */
export function relabelFlagsProblem(flags: Readonly<Record<string, unknown>>): string | undefined {
  const problem = boundsProblem(flags, relabelBounds);
  if (problem) return problem;
  const kMin = flags["k-min"] as number;
  const kMax = flags["k-max"] as number | undefined;
  if (kMax !== undefined && kMax < kMin)
    return `--k-max ${kMax} is below --k-min ${kMin}: the search would have no k to try`;
  return undefined;
}
