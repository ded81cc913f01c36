import { IntegerIn, setting } from "../config/variables.js";

/**
 * Bounds on the work one ticket can cause, the same for the pipeline and the API: wink's cost per
 * token grows with the square of its length (one 20,000-character word took seconds), so no run of
 * non-space characters longer than `maxTokenChars` reaches the tagger, and text beyond
 * `maxTextChars` is cut (callers flag it). Together they make tagging linear in the text's length.
 */
export interface TextLimits {
  /**
   * Characters (UTF-16 code units) of a ticket that are read; the rest is cut and the ticket flagged.
   * The default 50,000 cuts nothing on the panel (longest text 21,424, a CFPB narrative).
   */
  maxTextChars: number;
  /**
   * Longer runs of non-space characters are dropped before tagging. The default 100 is twice the
   * longest English words and drops nothing on the panel (85,870 texts; longest run 98, a URL).
   */
  maxTokenChars: number;
}

export const defaultTextLimits: Readonly<TextLimits> = Object.freeze({
  maxTextChars: 50_000,
  maxTokenChars: 100,
});

/** Whether `boundText` cuts this text (the flag callers report as `truncated`). */
export function isTruncated(text: string, limits: Pick<TextLimits, "maxTextChars">): boolean {
  return text.length > limits.maxTextChars;
}

/**
 * The text with both limits applied: cut after `maxTextChars` (never inside a surrogate pair), and
 * every run of more than `maxTokenChars` non-space characters replaced by a space.
 */
export function boundText(text: string, limits: TextLimits): string {
  let bounded = text;
  if (isTruncated(text, limits)) {
    const end = limits.maxTextChars;
    const splitsPair = isHighSurrogate(text.charCodeAt(end - 1)) && end < text.length;
    bounded = text.slice(0, splitsPair ? end - 1 : end);
  }
  return hasLongRun(bounded, limits.maxTokenChars)
    ? bounded.replace(longRun(limits.maxTokenChars), " ")
    : bounded;
}

/**
 * Whether some run of non-space characters is longer than `maxTokenChars`. Such a run covers one of
 * every `maxTokenChars + 1` consecutive positions, so only those positions are looked at, each grown
 * to its whole run (at most twice the text's characters, when every run is just short enough): on
 * serving traffic a tenth of the characters a full pass read, the pass having been ≈ 40% of
 * `prepareText`'s time. Several times cheaper than the replacing regex, which so only runs where it cuts.
 */
function hasLongRun(text: string, maxTokenChars: number): boolean {
  const stride = maxTokenChars + 1;
  for (let at = maxTokenChars; at < text.length; at += stride) {
    if (isSpace(text.charCodeAt(at))) continue;
    let from = at;
    while (from > 0 && !isSpace(text.charCodeAt(from - 1))) from--;
    let to = at + 1;
    while (to < text.length && to - from <= maxTokenChars && !isSpace(text.charCodeAt(to))) to++;
    if (to - from > maxTokenChars) return true;
  }
  return false;
}

/** The regex class \s (ECMAScript WhiteSpace and LineTerminator), by UTF-16 code unit. */
export function isSpace(code: number): boolean {
  if (code < 0x80) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

const longRuns = new Map<number, RegExp>();

/** Matches start only where a run starts (the lookbehind), so a long run costs one pass, not one per character. */
function longRun(maxTokenChars: number): RegExp {
  let pattern = longRuns.get(maxTokenChars);
  if (!pattern) {
    pattern = new RegExp(`(?<!\\S)\\S{${maxTokenChars + 1},}`, "g");
    longRuns.set(maxTokenChars, pattern);
  }
  return pattern;
}

export function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

export function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** Above this, one token's quadratic cost is no longer small next to the linear cost of the text. */
export const maxTokenCharsLimit = 1000;

/** INFLOW_MAX_TEXT_CHARS (the API's older name INFLOW_API_MAX_TEXT_CHARS is still read) and INFLOW_MAX_TOKEN_CHARS. */
export const textLimitSettings = {
  maxTextChars: setting(
    ["INFLOW_MAX_TEXT_CHARS", "INFLOW_API_MAX_TEXT_CHARS"],
    IntegerIn(1, 10_000_000),
    defaultTextLimits.maxTextChars,
  ),
  maxTokenChars: setting(
    "INFLOW_MAX_TOKEN_CHARS",
    IntegerIn(1, maxTokenCharsLimit),
    defaultTextLimits.maxTokenChars,
  ),
};
