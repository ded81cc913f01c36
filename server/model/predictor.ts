import { type PreprocessMode, servingSteps } from "../../src/classify/lexicon.js";
import type { RoutingModel } from "../../src/classify/model.js";
import { createPredictor, type Predictor } from "../../src/classify/model-predict.js";
import type { TextLimits } from "../../src/text/limits.js";
import { runSteps, type TermSteps } from "../../src/text/steps.js";
import { warmUp } from "./warmup.js";

/** How a server turns a model into predictions: the same in the main thread and in every worker. */
export interface ServingOptions {
  preprocess: PreprocessMode;
  limits: TextLimits;
  explainTerms: number;
}

/**
 * The served predictor of `model` and its text → terms steps, warmed up (throws when the warm-up's
 * predictions are invalid). Built once per thread: a predictor's scratch buffers serve one thread.
 */
export function buildServingPredictor(
  model: RoutingModel,
  options: ServingOptions,
): { predictor: Predictor; termSteps: TermSteps } {
  const termSteps = servingSteps(model, options.preprocess, options.limits);
  const predictor = createPredictor(model, options.explainTerms, (text) => runSteps(termSteps(text)));
  warmUp(predictor);
  return { predictor, termSteps };
}
