/**
 * The range of a number flag, checked before a step starts: a value outside it is a usage error
 * (exit 2), never a retry, a crash deep in a fit, or a run that quietly publishes a meaningless model.
 */
export interface Bound {
  /** Whole numbers only. */
  whole?: boolean;
  /** Smallest value allowed. */
  atLeast?: number;
  /** Values must be greater than this. */
  above?: number;
  /** Largest value allowed. */
  atMost?: number;
  /** Values must be less than this. */
  below?: number;
}

function describe(bound: Bound): string {
  const limits = [
    bound.atLeast !== undefined ? `≥ ${bound.atLeast}` : null,
    bound.above !== undefined ? `> ${bound.above}` : null,
    bound.atMost !== undefined ? `≤ ${bound.atMost}` : null,
    bound.below !== undefined ? `< ${bound.below}` : null,
  ].filter((limit) => limit !== null);
  return `${bound.whole ? "a whole number" : "a number"}${limits.length > 0 ? ` ${limits.join(" and ")}` : ""}`;
}

function holds(value: number, bound: Bound): boolean {
  return (
    Number.isFinite(value) &&
    (!bound.whole || Number.isInteger(value)) &&
    (bound.atLeast === undefined || value >= bound.atLeast) &&
    (bound.above === undefined || value > bound.above) &&
    (bound.atMost === undefined || value <= bound.atMost) &&
    (bound.below === undefined || value < bound.below)
  );
}

/** The problem with the first flag outside its bound (unset flags pass), or undefined. */
export function boundsProblem(
  flags: Readonly<Record<string, unknown>>,
  bounds: Readonly<Record<string, Bound>>,
): string | undefined {
  for (const [key, bound] of Object.entries(bounds)) {
    const value = flags[key];
    if (value === undefined) continue;
    if (typeof value !== "number" || !holds(value, bound))
      return `${key.length === 1 ? "-" : "--"}${key} must be ${describe(bound)}, got ${String(value)}`;
  }
  return undefined;
}

/** Common bounds. */
export const wholeAtLeast = (atLeast: number): Bound => ({ whole: true, atLeast });
export const share: Bound = { atLeast: 0, atMost: 1 };
export const positive: Bound = { above: 0 };
