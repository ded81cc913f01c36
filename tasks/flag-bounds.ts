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

const wholeAtLeast = (atLeast: number): Bound => ({ whole: true, atLeast });
const share: Bound = { atLeast: 0, atMost: 1 };
const positive: Bound = { above: 0 };
const openShare: Bound = { above: 0, below: 1 };
const nonNegative: Bound = { atLeast: 0 };

/**
 * Every number flag of every command and its range, in one table: a flag name means the same thing
 * wherever it appears (`--seed`, `--max-iter`, `--days`, `--port`), and the CLI checks the flags a
 * command was given against it before anything runs (tasks/cli.ts). A number flag missing here fails
 * test/code/flag-bounds.test.ts. Checks across flags (--k-max ≥ --k-min, --shard < --shards) and the
 * TF-IDF df's two forms stay with their commands.
 */
export const numberFlagBounds: Readonly<Record<string, Bound>> = {
  // Seeds: the random numbers (src/util/random.ts) read a seed as 32 bits, so -1 and 4294967295 drew
  // the same numbers, as did 0 and 2^32.
  seed: { whole: true, atLeast: 0, atMost: 2 ** 32 - 1 },
  // relabel (topic model)
  k: wholeAtLeast(1),
  "k-min": wholeAtLeast(1),
  "k-max": wholeAtLeast(1),
  tol: positive,
  "max-features": wholeAtLeast(1),
  "assign-threshold": share,
  "match-threshold": share,
  sample: wholeAtLeast(0),
  // relabel and train: iterations and TF-IDF; a df is a share in (0, 1] or a whole count, which
  // tfidf-flags.ts checks and says
  "max-iter": wholeAtLeast(1),
  "min-df": {},
  "max-df": {},
  "ngram-max": wholeAtLeast(1),
  "idf-power": positive,
  // train
  c: positive,
  "human-c": positive,
  "test-share": openShare,
  "human-weight": nonNegative,
  "propagate-threshold": share,
  "propagate-rounds": wholeAtLeast(0),
  "propagate-neighbours": wholeAtLeast(1),
  "propagate-alpha": share,
  "propagate-weight": nonNegative,
  // evaluate
  alpha: openShare,
  margin: nonNegative,
  "min-test-tickets": wholeAtLeast(0),
  resamples: wholeAtLeast(1),
  // label and topics: the novelty pool
  "novelty-min-z": {},
  "novelty-window-days": wholeAtLeast(1),
  "novelty-min-size": wholeAtLeast(1),
  "refit-increase": nonNegative,
  // generate, ingest, preprocess, assign
  count: wholeAtLeast(1),
  days: wholeAtLeast(1),
  "garbage-rate": share,
  "max-reject-share": share,
  "window-days": wholeAtLeast(1),
  workers: wholeAtLeast(1),
  shard: wholeAtLeast(0),
  shards: wholeAtLeast(1),
  // tickets forecast, activity train and ingest
  "history-days": wholeAtLeast(1),
  "backtest-days": wholeAtLeast(1),
  limit: wholeAtLeast(1),
  // serve, console, deploy
  port: { whole: true, atLeast: 0, atMost: 65535 },
  timeout: positive,
  "poll-seconds": positive,
};
