import { createRequire } from "node:module";
import { createWordReader, preparedWords, type WordReading } from "../text/lexicon.js";
import { defaultTextLimits, type TextLimits } from "../text/limits.js";
import { createTaggedTerms, type PreprocessOptions, prepareText } from "../text/preprocess.js";
import { InputError } from "../util/errors.js";
import { runSteps, type Steps } from "../util/steps.js";

/**
 * The serving lexicon's readings of the training corpus's words, computed when the model is trained
 * and shipped in it, so a server tags only the words its training set never had (each new word costs
 * three wink taggings, a large part of a fresh router's first tickets). Readings are a pure function
 * of the word, the model (preprocessing, vocabulary) and the reader: shipping them changes no result.
 */
export interface ModelLexicon {
  /** The reading function and wink versions that computed them; another reader ignores them. */
  reader: string;
  words: string[];
  /** Per word: its terms in any context, or null when they depend on its neighbours. */
  readings: (string[] | null)[];
}

const requireHere = createRequire(import.meta.url);
const version = (name: string): string =>
  (requireHere(`${name}/package.json`) as { version: string }).version;

/**
 * This code's reader. Bump `lexicon-1` when `createWordReader` (its probes or its decision) changes;
 * wink's versions are part of it because its tags are.
 */
export const lexiconReader = `lexicon-1 wink-nlp@${version("wink-nlp")} wink-eng-lite-web-model@${version("wink-eng-lite-web-model")}`;

/**
 * A word shipped must occur in at least this many training tickets: a word of one ticket alone (a
 * name, a one-off typo) is not worth shipping and could identify its ticket; the vocabulary's own
 * default `min_df` is 2 too.
 */
export const minLexiconTickets = 2;

/** Every word of every vocabulary term (n-grams split): the words whose reading can matter. */
export function featureWordsOf(vocabulary: readonly string[]): Set<string> {
  const words = new Set<string>();
  for (const term of vocabulary) for (const word of term.split(" ")) words.add(word);
  return words;
}

/** Prepared word → how many of `texts` hold it: what `buildModelLexicon` ships from. */
export function countTicketWords(
  texts: Iterable<string>,
  limits: TextLimits = defaultTextLimits,
  counts = new Map<string, number>(),
): Map<string, number> {
  for (const text of texts) {
    for (const word of new Set(preparedWords(prepareText(text, limits)))) {
      counts.set(word, (counts.get(word) ?? 0) + 1);
    }
  }
  return counts;
}

/** Word counts as a partition stores them (`words.json`): [word, tickets] pairs in word order. */
export function wordCountsJson(ticketsPerWord: ReadonlyMap<string, number>): string {
  const pairs = [...ticketsPerWord].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${JSON.stringify(pairs)}\n`;
}

/** Adds the counts of a `words.json` to `into`; refuses a file of another shape. */
export function addWordCounts(json: string, into: Map<string, number>, source: string): void {
  const pairs: unknown = JSON.parse(json);
  if (!Array.isArray(pairs)) throw new InputError(`${source}: not a list of [word, tickets] pairs`);
  for (const pair of pairs) {
    if (!Array.isArray(pair) || typeof pair[0] !== "string" || !Number.isInteger(pair[1]) || pair[1] < 1) {
      throw new InputError(`${source}: not a list of [word, tickets] pairs`);
    }
    into.set(pair[0], (into.get(pair[0]) ?? 0) + pair[1]);
  }
}

/** The lexicon a model ships: readings of the words held by `minLexiconTickets` or more tickets, sorted. */
export function buildModelLexicon(
  model: { preprocessing: PreprocessOptions; vocabulary: readonly string[] },
  ticketsPerWord: ReadonlyMap<string, number>,
): ModelLexicon {
  return runSteps(buildModelLexiconSteps(model, ticketsPerWord));
}

/** Words read between two pauses of buildModelLexiconSteps: each is one tagging, a few microseconds. */
const wordsPerStep = 256;

/** buildModelLexicon, pausing every few hundred words (src/util/steps.ts): train stops there on a signal. */
export function* buildModelLexiconSteps(
  model: { preprocessing: PreprocessOptions; vocabulary: readonly string[] },
  ticketsPerWord: ReadonlyMap<string, number>,
): Steps<ModelLexicon> {
  const read = readerOf(model.preprocessing, model.vocabulary);
  const words = [...ticketsPerWord]
    .filter(([, tickets]) => tickets >= minLexiconTickets)
    .map(([word]) => word)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const readings: (string[] | null)[] = [];
  for (const word of words) {
    readings.push(copy(read(word)));
    if (readings.length % wordsPerStep === 0) yield;
  }
  return { reader: lexiconReader, words, readings };
}

/** Refuses a lexicon that is not one (an artifact's shape check); absent is fine. */
export function checkLexiconShape(lexicon: unknown, source: string): void {
  if (lexicon === undefined) return;
  const l = lexicon as Partial<ModelLexicon>;
  const strings = (xs: unknown): boolean => Array.isArray(xs) && xs.every((x) => typeof x === "string");
  if (
    typeof l.reader !== "string" ||
    !strings(l.words) ||
    !Array.isArray(l.readings) ||
    l.readings.length !== l.words!.length ||
    !l.readings.every((r) => r === null || strings(r)) ||
    l.words!.some((w) => w === "" || preparedWords(w).length !== 1)
  ) {
    throw new InputError(`${source}: routing model lexicon is malformed`);
  }
}

/** Entries re-read when a server takes a model's lexicon: evenly spaced over it. */
const spotChecks = 64;

/**
 * The shipped readings a server may use: none when another reader computed them (they may differ
 * from this code's; the server then reads every word itself, as without a lexicon). When this
 * reader did, an evenly spaced sample is re-read, and one disagreement refuses the model: its
 * lexicon was altered, and served results would depend on it.
 */
export function usableReadings(
  model: { version: string; preprocessing: PreprocessOptions; vocabulary: readonly string[] },
  lexicon: ModelLexicon | undefined,
): [string, WordReading][] {
  if (!lexicon || lexicon.reader !== lexiconReader) return [];
  const read = readerOf(model.preprocessing, model.vocabulary);
  const n = lexicon.words.length;
  for (let k = 0; k < Math.min(n, spotChecks); k++) {
    const i = Math.floor((k * n) / Math.min(n, spotChecks));
    if (!sameReading(read(lexicon.words[i]!), lexicon.readings[i]!)) {
      throw new InputError(
        `model ${model.version}: its lexicon's reading of word ${i + 1} of ${n} is not this reader's`,
      );
    }
  }
  return lexicon.words.map((word, i) => [word, lexicon.readings[i]!]);
}

function readerOf(preprocessing: PreprocessOptions, vocabulary: readonly string[]) {
  const features = featureWordsOf(vocabulary);
  return createWordReader(createTaggedTerms(preprocessing), (term) => features.has(term));
}

function sameReading(a: WordReading, b: WordReading): boolean {
  if (a === null || b === null) return a === b;
  return a.length === b.length && a.every((term, i) => term === b[i]);
}

function copy(reading: WordReading): string[] | null {
  return reading === null ? null : [...reading];
}
