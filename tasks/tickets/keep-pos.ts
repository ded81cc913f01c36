import { universalPosTags } from "../../src/text/wink.js";
import { InputError } from "../../src/util/errors.js";

/** `--keep-pos` as the preprocess step describes it; yargs prints the real default next to it. */
export const keepPosDescription =
  'Universal POS tags to keep (space- or comma-separated), or "all" for every word; the seed\'s ETL kept NOUN';

/**
 * `--keep-pos` values → the tags to keep ([] keeps every tag, as `PreprocessOptions.keepPos` says).
 * Tags are case-insensitive. Nothing, an empty value or an unknown tag is a usage error naming the
 * valid tags: a filter that keeps nothing, or everything by accident, must not run.
 */
export function parseKeepPos(values: readonly string[]): string[] {
  const tags = values.flatMap((value) => value.split(",")).map((tag) => tag.trim().toUpperCase());
  const valid = `valid tags: ${[...universalPosTags].join(", ")}, or "all"`;
  if (tags.length === 0 || tags.includes(""))
    throw new InputError(`--keep-pos needs at least one tag, got ${JSON.stringify(values)}; ${valid}`);
  if (tags.includes("ALL")) {
    if (tags.length > 1) throw new InputError(`--keep-pos "all" cannot be combined with tags; ${valid}`);
    return [];
  }
  const unknown = tags.filter((tag) => !universalPosTags.has(tag));
  if (unknown.length > 0) throw new InputError(`--keep-pos has unknown tags ${unknown.join(", ")}; ${valid}`);
  return [...new Set(tags)];
}
