import { closest, distance } from "fastest-levenshtein";

/** Further than this many edits, a word is not a typo of a command (yargs' own bound). */
const maxEdits = 3;

/**
 * The one-line message for a command word that names no command, or undefined when the command
 * words are all known. Command words sit first: `inflow <command>` or `inflow <pipeline> <step>`;
 * what follows a step or a top-level command is its own (yargs checks it).
 */
export function mistypedCommand(
  argv: readonly string[],
  commands: readonly string[],
  stepsOf: Readonly<Record<string, readonly string[]>>,
): string | undefined {
  const [first, second] = argv;
  if (first === undefined || first.startsWith("-")) return undefined;
  if (!commands.includes(first)) return message(first, commands, "inflow");
  const steps = stepsOf[first];
  if (!steps || second === undefined || second.startsWith("-") || steps.includes(second)) return undefined;
  return message(second, steps, `inflow ${first}`);
}

function message(typo: string, known: readonly string[], parent: string): string {
  const nearest = closest(typo, [...known]);
  const hint = distance(typo, nearest) <= maxEdits ? ` Did you mean ${nearest}?` : "";
  return `Unknown command "${typo}".${hint} (\`${parent} --help\` lists them)`;
}
