import { defaultTextLimits } from "./limits.js";
import { createTaggedTerms, type PreprocessOptions, prepareText } from "./preprocess.js";
import type { TermSteps } from "./steps.js";

/** Characters tagged per step (a few milliseconds of wink's time, new words included). */
const pieceChars = 1000;
/** Text on each side of a piece that the tagger reads as context; its tokens emit no terms. */
const contextChars = 200;

/**
 * `createPreprocessor` as steps for a server: a prepared text of up to `pieceChars` is tagged whole
 * (the exact output); a longer one in pieces cut at spaces, each tagged with `contextChars` of its
 * neighbours as context, keeping the terms of the tokens that start inside it. wink's tagger reads a
 * few tokens around each word, so the pieces give the whole text's terms (the equivalence tests
 * check it on the panel's long texts) while no step tags more than a bounded window.
 */
export function createExactSteps(options: Partial<PreprocessOptions>): TermSteps {
  const tagged = createTaggedTerms(options);
  const limits = { ...defaultTextLimits, ...options };
  return function* (text: string) {
    if (text.trim() === "") return [];
    const prepared = prepareText(text, limits);
    if (prepared.length <= pieceChars) return tagged(prepared);
    const terms: string[] = [];
    for (let from = 0; from < prepared.length; ) {
      const to = spaceAtOrAfter(prepared, from + pieceChars);
      const start = spaceAtOrBefore(prepared, from - contextChars);
      const end = spaceAtOrAfter(prepared, to + contextChars);
      for (const term of tagged(prepared.slice(start, end), { from: from - start, to: to - start })) {
        terms.push(term);
      }
      from = to;
      if (from < prepared.length) yield;
    }
    return terms;
  };
}

const space = /\s/;

function spaceAtOrAfter(text: string, at: number): number {
  let i = Math.min(at, text.length);
  while (i < text.length && !space.test(text[i]!)) i++;
  return i;
}

function spaceAtOrBefore(text: string, at: number): number {
  let i = Math.max(at, 0);
  while (i > 0 && !space.test(text[i]!)) i--;
  return i;
}
