import { defaultTextLimits } from "./limits.js";
import { createTaggedTerms, type PreprocessOptions, prepareText } from "./preprocess.js";
import { runSteps, type TermSteps } from "./steps.js";
import { winkPosPipeline } from "./wink.js";

export interface LexiconOptions {
  /**
   * Whether a term can take part in a model feature (a vocabulary unigram, or a word of a
   * vocabulary n-gram). A word whose possible outcomes hold none takes its context-free outcome.
   */
  isFeatureWord(term: string): boolean;
  /** Whitespace-separated words of context on each side of a context-dependent word (default 2). */
  contextWords?: number;
  /** Entries per cache (default 200,000); a full cache is cleared. Results never depend on the caches. */
  maxEntries?: number;
}

/**
 * Words put before a word to pull wink's tagger towards a noun or a verb reading ("the charge", "to
 * charge"). On the panel's 21,615 distinct words these two find every context-dependent word that
 * ten probes did ("i", "it", "they" before, and all five after, added none).
 */
const probes = ["the", "to"];

/**
 * A serving approximation of `createPreprocessor` that tags words instead of whole texts. The
 * prepared text is split at whitespace; each distinct word is tagged on its own and after each of
 * two probe words (three short taggings, once per distinct word). A word whose terms are the same in every probe ("account", "xxxx", "and") takes
 * them from a cache from then on. A word whose terms change with its neighbours ("charge" noun or
 * verb) and could matter to the model is tagged inside a window of `contextWords` words each side,
 * also cached, by window. Exact-path differences remain where wink's tagger looks further than the
 * window or where no probe exposes a word's ambiguity; bench/api-lexicon.ts measures them.
 *
 * The output is a pure function of the text (caches only skip repeated tagging), so the same ticket
 * always gets the same prediction, whatever was served before it.
 */
export function createLexiconPreprocessor(
  preprocessing: Partial<PreprocessOptions>,
  options: LexiconOptions,
): (text: string) => string[] {
  const steps = createLexiconSteps(preprocessing, options);
  return (text) => runSteps(steps(text));
}

/** `createLexiconPreprocessor` as steps: one step per tagging, so a server can pause between them. */
export function createLexiconSteps(
  preprocessing: Partial<PreprocessOptions>,
  options: LexiconOptions,
): TermSteps {
  const tagged = createTaggedTerms(preprocessing);
  const limits = { ...defaultTextLimits, ...preprocessing };
  const context = options.contextWords ?? 2;
  const maxEntries = options.maxEntries ?? 200_000;
  /** Word → its context-free terms, or null when its terms depend on context. */
  const words = new Map<string, readonly string[] | null>();
  /** Window (the word, and its neighbours as the tagger sees them) → the word's terms there. */
  const windows = new Map<string, readonly string[]>();
  /** Word → how it reads as a neighbour in a window key: its tagger class, or itself. */
  const neighbours = new Map<string, string>();
  const nlp = winkPosPipeline();
  const asNeighbour = (chunk: string): string => {
    let key = neighbours.get(chunk);
    if (key === undefined) {
      const taggerClass = nlp.taggerClass(chunk);
      // A tab never occurs in a chunk (chunks are split at whitespace): classes and words cannot meet.
      key = taggerClass === null ? chunk : `\t${taggerClass}`;
      if (neighbours.size >= maxEntries) neighbours.clear();
      neighbours.set(chunk, key);
    }
    return key;
  };

  const newWordTerms = (word: string): readonly string[] | null => {
    const terms = contextFreeTerms(word);
    if (words.size >= maxEntries) words.clear();
    words.set(word, terms);
    return terms;
  };

  const contextFreeTerms = (word: string): readonly string[] | null => {
    const alone = tagged(word);
    const key = alone.join(" ");
    let varies = false;
    const seen = new Set(alone);
    for (const probe of probes) {
      const terms = tagged(`${probe} ${word}`, {
        from: probe.length + 1,
        to: probe.length + 1 + word.length,
      });
      if (terms.join(" ") !== key) varies = true;
      for (const term of terms) seen.add(term);
    }
    if (!varies) return alone;
    for (const term of seen) if (options.isFeatureWord(term)) return null;
    return alone;
  };

  /** The window's cache key: the word, and its neighbours as the tagger sees them (`asNeighbour`). */
  const windowKey = (chunks: string[], i: number): string => {
    let key = "";
    for (let j = Math.max(0, i - context); j < i; j++) key += `${asNeighbour(chunks[j]!)} `;
    key += `\n${chunks[i]!}`;
    const last = Math.min(chunks.length - 1, i + context);
    for (let j = i + 1; j <= last; j++) key += ` ${asNeighbour(chunks[j]!)}`;
    return key;
  };

  const tagWindow = (chunks: string[], i: number, key: string): readonly string[] => {
    let text = "";
    for (let j = Math.max(0, i - context); j < i; j++) text += `${chunks[j]!} `;
    const from = text.length;
    text += chunks[i]!;
    const to = text.length;
    const last = Math.min(chunks.length - 1, i + context);
    for (let j = i + 1; j <= last; j++) text += ` ${chunks[j]!}`;
    const terms = tagged(text, { from, to });
    if (windows.size >= maxEntries) windows.clear();
    windows.set(key, terms);
    return terms;
  };

  return function* (text: string) {
    const result: string[] = [];
    if (text.trim() === "") return result;
    const chunks = prepareText(text, limits).trim().split(whitespace);
    for (let i = 0; i < chunks.length; i++) {
      const chunk = chunks[i]!;
      if (chunk === "") continue;
      // A word seen before costs a map lookup; a new word or window costs taggings: pause before those.
      let terms = words.get(chunk);
      if (terms === undefined) {
        yield;
        terms = newWordTerms(chunk);
      }
      if (terms === null) {
        const key = windowKey(chunks, i);
        terms = windows.get(key);
        if (terms === undefined) {
          yield;
          terms = tagWindow(chunks, i, key);
        }
      }
      for (let t = 0; t < terms.length; t++) result.push(terms[t]!);
    }
    return result;
  };
}

const whitespace = /\s+/;
