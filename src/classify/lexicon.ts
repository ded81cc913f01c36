import { createLexiconPreprocessor } from "../text/lexicon.js";
import { createPreprocessor } from "../text/preprocess.js";
import type { RoutingModel } from "./model.js";
import type { TextToTerms } from "./model-predict.js";

/** How the API turns ticket text into terms: the model's exact preprocessing, or the lexicon approximation. */
export type PreprocessMode = "exact" | "lexicon";

export const preprocessModes: readonly PreprocessMode[] = ["exact", "lexicon"];

/**
 * The preprocessing a served model uses in `mode`. The lexicon is told which words can take part
 * in one of this model's features (every word of every vocabulary n-gram): words that cannot are
 * never tagged in context, since their exact reading cannot change a prediction except by
 * separating two neighbours that would have formed a bigram.
 */
export function servingPreprocessor(model: RoutingModel, mode: PreprocessMode): TextToTerms {
  if (mode === "exact") return createPreprocessor(model.preprocessing);
  const featureWords = new Set<string>();
  for (const term of model.tfidf.vocabulary) for (const word of term.split(" ")) featureWords.add(word);
  return createLexiconPreprocessor(model.preprocessing, { isFeatureWord: (term) => featureWords.has(term) });
}
