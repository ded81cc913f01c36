import { ChunkMemo, hashStart, hashStep } from "./chunk-memo.js";
import { defaultTextLimits, isSpace } from "./limits.js";
import { createTaggedTerms, type PreprocessOptions, prepareText, type TaggedTerms } from "./preprocess.js";
import { runSteps, type TermSteps } from "./steps.js";
import { WindowMemo } from "./window-memo.js";
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
  /**
   * Readings computed ahead (`createWordReader` over a model's training words, shipped in the model):
   * word → its terms, or null when they depend on context. Taken as they are and never evicted, so
   * only words outside them are tagged. They must come from the same reader, or results change.
   */
  known?: Iterable<readonly [string, readonly string[] | null]>;
}

/** What a word reads as in any context: its terms, or null when they depend on its neighbours. */
export type WordReading = readonly string[] | null;

/**
 * Words put before a word to pull wink's tagger towards a noun or a verb reading ("the charge", "to
 * charge"). On the panel's 21,615 distinct words these two find every context-dependent word that
 * ten probes did ("i", "it", "they" before, and all five after, added none).
 */
const probes = ["the", "to"];

/**
 * A serving approximation of `createPreprocessor` that tags words instead of whole texts. The
 * prepared text is split at whitespace; each distinct word is tagged on its own and after each of
 * two probe words (three short taggings, once per distinct word). A word whose terms are the same in
 * every probe ("account", "xxxx", "and") takes them from a cache from then on. A word whose terms
 * change with its neighbours ("charge" noun or verb) and could matter to the model is tagged inside a
 * window of `contextWords` words each side, also cached, by window: the word and how the tagger reads
 * each neighbour (its tagger class). Both caches are looked up without building a string per word
 * or window (a hash over the text's characters; numeric ids), which were most of a warm ticket's cost. Exact-path differences remain where wink's tagger looks further than the
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
  /** Word → what it reads as alone and as a neighbour; looked up by the prepared text's characters. */
  const words = new ChunkMemo<Word>(maxEntries);
  /**
   * Windows of context-dependent words: the word's id, then each neighbour's reading id (left to
   * right, `edge` where the text ends) → the word's terms there. Ids are never reused (a counter up
   * to 2^53), so an entry dropped from a cache is never confused with a new one.
   */
  const windows = new WindowMemo<readonly string[]>(1 + 2 * context, maxEntries);
  /** A neighbour's reading (its tagger class, or its text) → its id in window keys. */
  const readings = new Map<string, number>();
  let lastId = edge;
  const nlp = winkPosPipeline();

  const neighbourOf = (word: Word): number => {
    if (word.neighbour === unknown) {
      const taggerClass = nlp.taggerClass(word.text);
      // A tab never occurs in a chunk (chunks are split at whitespace): classes and words cannot meet.
      const reading = taggerClass === null ? word.text : `\t${taggerClass}`;
      let id = readings.get(reading);
      if (id === undefined) {
        if (readings.size >= maxEntries) readings.clear();
        id = ++lastId;
        readings.set(reading, id);
      }
      word.neighbour = id;
    }
    return word.neighbour;
  };

  const read = createWordReader(tagged, options.isFeatureWord);
  const newWord = (text: string): Word => {
    const word: Word = { id: ++lastId, text, terms: read(text), neighbour: unknown };
    words.set(text, word);
    return word;
  };
  /** The shipped readings: a memo never cleared (it is never added to after this). */
  const shipped = [...(options.known ?? [])];
  const known = new ChunkMemo<Word>(Math.max(1, shipped.length));
  for (const [text, terms] of shipped) known.set(text, { id: ++lastId, text, terms, neighbour: unknown });

  /**
   * Word lists of finished texts, reused: a list per text was most of what reading a known text
   * allocates. Entries past a text's count are stale (words still held by the memos, or were).
   */
  const spareEntries: Word[][] = [];
  /** Scratch for a window's key; a miss copies it before pausing (another text may look up meanwhile). */
  const key = new Float64Array(1 + 2 * context);
  /** Fills `key` with word i's window (of the text's `count` words): its id and its neighbours' reading ids. */
  const windowKey = (entries: Word[], count: number, i: number): void => {
    key[0] = entries[i]!.id;
    for (let j = i - context, k = 1; j <= i + context; j++) {
      if (j !== i) key[k++] = j < 0 || j >= count ? edge : neighbourOf(entries[j]!);
    }
  };

  const tagWindow = (entries: Word[], count: number, i: number): readonly string[] => {
    let text = "";
    for (let j = Math.max(0, i - context); j < i; j++) text += `${entries[j]!.text} `;
    const from = text.length;
    text += entries[i]!.text;
    const to = text.length;
    const last = Math.min(count - 1, i + context);
    for (let j = i + 1; j <= last; j++) text += ` ${entries[j]!.text}`;
    return tagged(text, { from, to });
  };

  return function* (text: string) {
    const result: string[] = [];
    if (text.trim() === "") return result;
    const prepared = prepareText(text, limits);
    // The list is this text's until it is done (another text may be read while this one pauses).
    const entries = spareEntries.pop() ?? [];
    let count = 0;
    // Each whitespace-separated word is hashed as it is scanned and looked up without cutting it out.
    let start = -1;
    let hash = hashStart;
    for (let i = 0; i <= prepared.length; i++) {
      const code = i < prepared.length ? prepared.charCodeAt(i) : 0x20;
      if (!isSpace(code)) {
        if (start < 0) {
          start = i;
          hash = hashStart;
        }
        hash = hashStep(hash, code);
        continue;
      }
      if (start < 0) continue;
      let word = known.get(prepared, start, i, hash) ?? words.get(prepared, start, i, hash);
      // A word seen before costs a lookup; a new word or window costs taggings: pause before those.
      if (word === undefined) {
        yield;
        word = newWord(prepared.slice(start, i));
      }
      entries[count++] = word;
      start = -1;
    }
    for (let i = 0; i < count; i++) {
      let terms = entries[i]!.terms;
      if (terms === null) {
        windowKey(entries, count, i);
        terms = windows.get(key) ?? null;
        if (terms === null) {
          const missed = key.slice();
          yield;
          terms = tagWindow(entries, count, i);
          windows.set(missed, terms);
        }
      }
      for (let t = 0; t < terms.length; t++) result.push(terms[t]!);
    }
    spareEntries.push(entries);
    return result;
  };
}

/**
 * Word → its reading, the lexicon's decision for a word it has not seen: the word is tagged alone
 * and after each probe; the same terms every time make them its terms anywhere. Terms that change
 * ("charge" noun or verb) and could matter (one of them is a feature word) make it context-dependent
 * (null); otherwise its terms alone stand. `tagged` is `createTaggedTerms` of the model's preprocessing.
 */
export function createWordReader(
  tagged: TaggedTerms,
  isFeatureWord: (term: string) => boolean,
): (word: string) => WordReading {
  return (word) => {
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
    for (const term of seen) if (isFeatureWord(term)) return null;
    return alone;
  };
}

/** The whitespace-separated words of prepared text, as the lexicon splits them. */
export function preparedWords(prepared: string): string[] {
  const result: string[] = [];
  let start = -1;
  for (let i = 0; i <= prepared.length; i++) {
    if (i < prepared.length && !isSpace(prepared.charCodeAt(i))) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      result.push(prepared.slice(start, i));
      start = -1;
    }
  }
  return result;
}

/** A whitespace-separated word of prepared text, as the lexicon knows it. */
interface Word {
  /** Never reused for another word (window keys hold it). */
  readonly id: number;
  readonly text: string;
  /** Its terms in any context, or null when they depend on its neighbours (then looked up by window). */
  readonly terms: WordReading;
  /** The id of how it reads as a neighbour in a window key; `unknown` until first needed. */
  neighbour: number;
}

/** The neighbour id where a window reaches past the text's start or end; ids given out start above it. */
const edge = 0;
const unknown = -1;
