import model from "wink-eng-lite-web-model";
import winkNLP, { type WinkMethods } from "wink-nlp";

/**
 * Universal POS tags that wink-eng-lite-web-model assigns; used to reject typos in a POS filter
 * (a filter naming "NN" would otherwise silently keep nothing).
 */
export const universalPosTags: ReadonlySet<string> = new Set([
  "ADJ",
  "ADP",
  "ADV",
  "AUX",
  "CCONJ",
  "DET",
  "INTJ",
  "NOUN",
  "NUM",
  "PART",
  "PRON",
  "PROPN",
  "PUNCT",
  "SCONJ",
  "SYM",
  "VERB",
  "X",
  "SPACE",
]);

let posPipeline: WinkMethods | undefined;

/**
 * The process-wide wink instance that tokenizes and POS-tags (lemmas depend on the tag). Loading the
 * model takes a noticeable fraction of a second, so it happens once, on first use. Sentence
 * boundaries, entities, negation and sentiment are left out of the pipe: they cost about half the
 * throughput and nothing downstream reads them.
 */
export function winkPosPipeline(): WinkMethods {
  posPipeline ??= winkNLP(model, ["pos"]);
  return posPipeline;
}
