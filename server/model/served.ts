import type { PreprocessMode } from "../../src/classify/lexicon.js";
import type { RoutingModel } from "../../src/classify/model.js";
import type { Prediction, Predictor } from "../../src/classify/model-predict.js";
import type { TermSteps } from "../../src/text/steps.js";

/** One loaded, verified and warmed-up model. Immutable: a swap replaces the whole object. */
export interface ServedModel {
  readonly model: RoutingModel;
  readonly predictor: Predictor;
  /** The predictor's text → terms as pausable steps (requests run these, then `predictTokens`). */
  readonly termSteps: TermSteps;
  /** The same predictions computed on the worker pool (null without one): see server/model/classify.ts. */
  readonly offload: Offload | null;
  /** How the predictor turns text into terms (INFLOW_API_PREPROCESS). */
  readonly preprocess: PreprocessMode;
  /** The source's identity of this version (sha256:…). */
  readonly fingerprint: string;
  readonly uri: string;
  readonly loadedAt: Date;
}

/** The worker pool as one served model sees it. */
export interface Offload {
  readonly workers: number;
  predict(texts: string[]): Promise<Prediction[]>;
  /** Characters of text queued on the least busy worker. */
  backlogChars(): number;
}

/** Bounded label values of inflow_model_load_failures_total. */
export type LoadFailureReason = "unavailable" | "invalid" | "warmup";

/** What the model holder reports (metrics and logs subscribe). */
export interface ModelEvents {
  loaded(served: ServedModel, previous: ServedModel | null): void;
  failed(reason: LoadFailureReason, error: Error): void;
}
