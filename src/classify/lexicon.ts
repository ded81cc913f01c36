import { createLexiconSteps } from "../text/lexicon.js";
import { defaultTextLimits, type TextLimits } from "../text/limits.js";
import { createExactSteps } from "../text/pieces.js";
import { runSteps, type TermSteps } from "../text/steps.js";
import type { RoutingModel } from "./model.js";
import { featureWordsOf, usableReadings } from "./model-lexicon.js";
import type { TextToTerms } from "./model-predict.js";
import { readsTerms, routerInputOf, routerTerms } from "./router-input.js";

/** How the API turns ticket text into terms: the model's exact preprocessing, or the lexicon approximation. */
export type PreprocessMode = "exact" | "lexicon";

export const preprocessModes: readonly PreprocessMode[] = ["exact", "lexicon"];

/**
 * The preprocessing a served model uses in `mode`, as steps a server can pause between, under the
 * server's text limits (they bound the server's work, so they win over the model's). The lexicon is
 * told which words can take part in one of this model's features (every word of every vocabulary
 * n-gram): words that cannot are never tagged in context, since their exact reading cannot change a
 * prediction except by separating two neighbours that would have formed a bigram. A model whose router
 * input holds surface words gets them appended (router-input.ts `routerTerms`), in both modes.
 * The model's shipped lexicon (src/classify/model-lexicon.ts) spares tagging its training words; a
 * doctored one is refused.
 */
export function servingSteps(
  model: RoutingModel,
  mode: PreprocessMode,
  limits: TextLimits = defaultTextLimits,
): TermSteps {
  const preprocessing = { ...model.preprocessing, ...limits };
  const input = routerInputOf(model);
  const termSteps = readsTerms(input) ? preprocessingSteps(model, mode, preprocessing) : null;
  if (input === "terms") return termSteps!;
  // The model reads surface words too (router-input.ts): the same features as train gave it.
  return function* (text) {
    const terms = termSteps ? yield* termSteps(text) : [];
    return [...routerTerms(input, terms, text, preprocessing)];
  };
}

function preprocessingSteps(
  model: RoutingModel,
  mode: PreprocessMode,
  preprocessing: RoutingModel["preprocessing"],
) {
  if (mode === "exact") return createExactSteps(preprocessing);
  const featureWords = featureWordsOf(model.tfidf.vocabulary);
  const known = usableReadings(
    { version: model.version, preprocessing: model.preprocessing, vocabulary: model.tfidf.vocabulary },
    model.lexicon,
  );
  return createLexiconSteps(preprocessing, { isFeatureWord: (term) => featureWords.has(term), known });
}

/** `servingSteps` run without pauses. */
export function servingPreprocessor(
  model: RoutingModel,
  mode: PreprocessMode,
  limits: TextLimits = defaultTextLimits,
): TextToTerms {
  const steps = servingSteps(model, mode, limits);
  return (text) => runSteps(steps(text));
}
