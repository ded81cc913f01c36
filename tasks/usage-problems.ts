/**
 * What the CLI says when its command line is wrong, before anything runs: one problem, named with the
 * command whose `--help` lists the options (not the whole help, which buries the problem).
 */

/** The command words that lead `argv` (`tickets topics accept`), as far as they are words, not values or flags. */
export function commandWords(argv: readonly string[]): string[] {
  const words: string[] = [];
  for (const arg of argv) {
    if (!/^[a-z][a-z-]*$/.test(arg)) break;
    words.push(arg);
  }
  return words;
}

/** The one line for a usage problem (yargs' own may span lines), then where the options are listed. */
export function usageLine(problem: string, argv: readonly string[]): string {
  const command = ["inflow", ...commandWords(argv)].join(" ");
  return `${problem.trim().replace(/\s*\n\s*/g, " ")} (see \`${command} --help\`)`;
}

/** How a flag is written on the command line: `-k` for a one-letter key, `--min-df` otherwise. */
function flagOf(key: string): string {
  return key.length === 1 ? `-${key}` : `--${key}`;
}

/** The text given for `flag` in `argv` (`--flag text` or `--flag=text`), if any. */
function givenText(argv: readonly string[], flag: string): string | undefined {
  for (const [i, arg] of argv.entries()) {
    if (arg === flag) return argv[i + 1];
    if (arg.startsWith(`${flag}=`)) return arg.slice(flag.length + 1);
  }
  return undefined;
}

/**
 * yargs reads `--count abc` as NaN for a number option and lets it through; NaN then fails every
 * comparison, so a bound like `--max-reject-share` would silently stop holding. Only a number option
 * parses to NaN, so any NaN in the parsed flags is one. The problem with the first such flag as
 * written on the command line, or undefined when there is none.
 */
export function notANumber(
  parsed: Readonly<Record<string, unknown>>,
  argv: readonly string[],
): string | undefined {
  // yargs also keeps a camelCase twin of every dashed key: report the key as it was written.
  const keys = Object.keys(parsed).filter((key) =>
    [parsed[key]].flat().some((value) => typeof value === "number" && Number.isNaN(value)),
  );
  const key = keys.find((k) => givenText(argv, flagOf(k)) !== undefined) ?? keys[0];
  if (key === undefined) return undefined;
  const given = givenText(argv, flagOf(key));
  return `${flagOf(key)} must be a number${given === undefined ? "" : `, got "${given}"`}`;
}
