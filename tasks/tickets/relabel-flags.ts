/**
 * relabel's flags across each other, checked before the step starts (each number flag's own range is in
 * tasks/flag-bounds.ts): the k search grows its candidates from --k-min by ×√2 until --k-max.
 */
export function relabelFlagsProblem(flags: Readonly<Record<string, unknown>>): string | undefined {
  const kMin = flags["k-min"] as number;
  const kMax = flags["k-max"] as number | undefined;
  if (kMax !== undefined && kMax < kMin)
    return `--k-max ${kMax} is below --k-min ${kMin}: the search would have no k to try`;
  return undefined;
}
