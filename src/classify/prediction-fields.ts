import type { Prediction } from "./model-predict.js";

/**
 * One prediction as Inflow answers it everywhere (the API's `/api/predict`, the routed records of
 * `inflow stream`, the lines of `tickets predict`), the explanation aside: snake_case fields, and
 * whether the text was cut to the configured limit before it was classified.
 */
export function predictionFields(id: string | number, p: Prediction, truncated: boolean) {
  return {
    id,
    topic_id: p.topicId,
    topic: p.topicName,
    department: p.department,
    confidence: p.confidence,
    out_of_scope: p.outOfScope,
    needs_review: p.needsReview,
    truncated,
    model_version: p.modelVersion,
  };
}
