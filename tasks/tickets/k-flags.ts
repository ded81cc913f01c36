/**
 * relabel's -k, --k-min and --k-max, checked before the step starts: the k search grows its candidates
 * from --k-min by ×√2 until --k-max, so a --k-min of 0 or below never reached the end (the step hung,
 * deaf to SIGTERM, in one synchronous loop).
 */
export function kFlagsProblem(flags: { k?: number; "k-min": number; "k-max"?: number }): string | undefined {
  for (const [flag, value] of [
    ["-k", flags.k],
    ["--k-min", flags["k-min"]],
    ["--k-max", flags["k-max"]],
  ] as const)
    if (value !== undefined && !(Number.isInteger(value) && value >= 1))
      return `${flag} must be a whole number of topics, at least 1, got ${value}`;
  const kMax = flags["k-max"];
  if (kMax !== undefined && kMax < flags["k-min"])
    return `--k-max ${kMax} is below --k-min ${flags["k-min"]}: the search would have no k to try`;
  return undefined;
}
