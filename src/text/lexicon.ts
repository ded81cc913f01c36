import { createTaggedTerms, type PreprocessOptions, prepareText } from "./preprocess.js";

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

/** Neighbours that pull wink's tagger towards a noun or a verb reading ("the charge", "to charge"). */
const probes = ["the", "to", "i", "it", "they"];

/**
 * A serving approximation of `createPreprocessor` that tags words instead of whole texts. The
 * prepared text is split at whitespace; each distinct word is tagged once on its own and next to a
 * few probe words. A word whose terms are the same in every probe ("account", "xxxx", "and") takes
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
  const tagged = createTaggedTerms(preprocessing);
  const context = options.contextWords ?? 2;
  const maxEntries = options.maxEntries ?? 200_000;
  /** Word → its context-free terms, or null when its terms depend on context. */
  const words = new Map<string, readonly string[] | null>();
  /** Window text, with the word's offset → the word's terms there. */
  const windows = new Map<string, readonly string[]>();

  const wordTerms = (word: string): readonly string[] | null => {
    let terms = words.get(word);
    if (terms !== undefined) return terms;
    terms = contextFreeTerms(word);
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
      const before = tagged(`${probe} ${word}`, {
        from: probe.length + 1,
        to: probe.length + 1 + word.length,
      });
      const after = tagged(`${word} ${probe}`, { from: 0, to: word.length });
      for (const terms of [before, after]) {
        if (terms.join(" ") !== key) varies = true;
        for (const term of terms) seen.add(term);
      }
    }
    if (!varies) return alone;
    for (const term of seen) if (options.isFeatureWord(term)) return null;
    return alone;
  };

  const windowTerms = (chunks: string[], i: number): readonly string[] => {
    const first = Math.max(0, i - context);
    const last = Math.min(chunks.length - 1, i + context);
    let text = "";
    for (let j = first; j < i; j++) text += `${chunks[j]!} `;
    const from = text.length;
    text += chunks[i]!;
    const to = text.length;
    for (let j = i + 1; j <= last; j++) text += ` ${chunks[j]!}`;
    const key = `${from}:${text}`;
    let terms = windows.get(key);
    if (terms === undefined) {
      terms = tagged(text, { from, to });
      if (windows.size >= maxEntries) windows.clear();
      windows.set(key, terms);
    }
    return terms;
  };

  return (text: string): string[] => {
    const result: string[] = [];
    if (text.trim() === "") return result;
    const chunks = prepareText(text).trim().split(whitespace);
    for (let i = 0; i < chunks.length; i++) {
      const chunk = chunks[i]!;
      if (chunk === "") continue;
      const terms = wordTerms(chunk) ?? windowTerms(chunks, i);
      for (let t = 0; t < terms.length; t++) result.push(terms[t]!);
    }
    return result;
  };
}

const whitespace = /\s+/;
