/**
 * Reference answers of the Python peers (scikit-learn, SciPy, sktime's KNN reduction), frozen as JSON
 * fixtures so that the unit tier runs with no Python. A fixture is keyed by the sha256 of what made it
 * (the script, its arguments and its input), so a test whose question changed cannot read a stale answer.
 *
 * INFLOW_REFERENCE selects what happens:
 * - unset (`npm run test:unit`): read the fixture; a missing or stale one fails with what to run;
 * - `verify` (`npm test`): also ask Python and require the fixture to be its answer today: the same
 *   structure and strings, every number within 1e-8 (relative, and absolute near zero). Exact equality
 *   held on one machine only: BLAS picks its kernels by CPU, and scikit-learn's lbfgs answers moved by up
 *   to 1e-9 on another. The tests keep comparing Inflow with the frozen answer at their own tolerance;
 *   this check guards against Python's answer changing (a version, a script), not a CPU's last digits;
 * - `refresh` (`npm run reference:refresh`): ask Python and rewrite the fixture.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "./cli.js";

export const referenceDir = join(repoRoot, "test/fixtures/reference");
const defaultPython = join(repoRoot, ".venv/bin/python");

interface Fixture {
  key: string;
  answer: unknown;
}

export type ReferenceMode = "read" | "verify" | "refresh";

export function referenceMode(env = process.env): ReferenceMode {
  const mode = env.INFLOW_REFERENCE ?? "read";
  if (mode !== "read" && mode !== "verify" && mode !== "refresh")
    throw new Error(`INFLOW_REFERENCE must be verify or refresh, got "${mode}"`);
  return mode;
}

/** What the answer depends on: the script (inline, or the file's bytes), its arguments and its input. */
export function referenceKey(args: readonly string[], input: string): string {
  const hash = createHash("sha256");
  for (const arg of args) {
    const file = join(repoRoot, arg);
    hash.update(arg.endsWith(".py") && existsSync(file) ? readFileSync(file) : arg).update("\0");
  }
  return hash.update(input).digest("hex");
}

/**
 * The JSON that `.venv/bin/python ...args` prints for `input` on stdin, as frozen under `name`.
 * `args` is what Python is called with (`["-c", script]` or `["bench/peer.py", ...]`).
 */
export function pythonReference<T>(
  name: string,
  args: readonly string[],
  input = "",
  {
    mode = referenceMode(),
    dir = referenceDir,
    omit = [],
    python = defaultPython,
  }: {
    mode?: ReferenceMode;
    dir?: string;
    /** Top-level fields of the answer that are not part of it (a peer's own timings). */
    omit?: readonly string[];
    /** Another venv's Python (e.g. .venv-clearml, whose setup script pins its packages). */
    python?: string;
  } = {},
): T {
  const path = join(dir, `${name}.json`);
  const key = referenceKey(args, input);
  const ask = (): unknown => {
    const answer = JSON.parse(
      execFileSync(python, [...args], { cwd: repoRoot, input, encoding: "utf8", maxBuffer: 1 << 28 }),
    );
    for (const field of omit) delete answer[field];
    return answer;
  };
  if (mode === "refresh") {
    mkdirSync(dir, { recursive: true });
    const answer = ask();
    writeFileSync(path, `${JSON.stringify({ key, answer } satisfies Fixture)}\n`);
    return answer as T;
  }
  const fixture = existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as Fixture) : null;
  if (fixture?.key !== key)
    throw new Error(
      `reference fixture ${name} is ${fixture ? "stale (its question changed)" : "missing"}: run \`npm run reference:refresh\``,
    );
  if (mode === "verify") {
    if (!sameAnswer(ask(), fixture.answer))
      throw new Error(
        `reference fixture ${name} differs from Python's answer today: run \`npm run reference:refresh\``,
      );
  }
  return fixture.answer as T;
}

const answerTolerance = 1e-8;

/** Same JSON shape and strings, numbers within `answerTolerance` × (1 + the larger magnitude). */
export function sameAnswer(a: unknown, b: unknown): boolean {
  if (typeof a === "number" && typeof b === "number")
    return Math.abs(a - b) <= answerTolerance * (1 + Math.max(Math.abs(a), Math.abs(b)));
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((item, i) => sameAnswer(item, b[i]));
  if (a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length &&
      keys.every(
        (key) =>
          key in b && sameAnswer((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
      )
    );
  }
  return a === b;
}
