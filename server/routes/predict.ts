import type { FastifyPluginCallbackTypebox } from "@fastify/type-provider-typebox";
import type { ApiMetrics } from "../metrics.js";
import { errorBody } from "../plugins/errors.js";
import { errorResponses } from "../schemas/common.js";
import {
  type PredictItem,
  type PredictResponse,
  PredictResponseSchema,
  predictBodySchema,
  type TicketLimits,
} from "../schemas/predict.js";
import type { ApiState } from "../state.js";

/** Tickets classified between yields (about 2–4 ms of work). */
const yieldEvery = 8;

interface PredictOptions {
  state: ApiState;
  metrics: ApiMetrics;
  limits: TicketLimits;
  secured: boolean;
}

/** POST /api/predict: a batch of tickets → topic, department, confidence, needs_review and explanation each. */
export const predictRoutes: FastifyPluginCallbackTypebox<PredictOptions> = (
  app,
  { state, metrics, limits, secured },
  done,
) => {
  app.post(
    "/api/predict",
    {
      schema: {
        summary: "Classify and route a batch of tickets",
        description:
          "Body: a JSON array of `{id, text}` tickets and/or the seed's CFPB complaint records " +
          "(`{_id, _source: {complaint_what_happened}}`). All tickets of one request are classified " +
          "by the same model version.",
        tags: ["predict"],
        ...(secured ? { security: [{ bearer: [] }] } : {}),
        body: predictBodySchema(limits),
        response: { 200: PredictResponseSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      // Read once: a model swap during this request does not affect it.
      const served = state.holder.current;
      if (!served) {
        reply.code(503).send(errorBody(503, "no valid model loaded yet", request.id));
        return;
      }
      const items = request.body;
      metrics.batchSize.observe(items.length);
      const predictions: PredictResponse["predictions"] = new Array(items.length);
      for (let i = 0; i < items.length; i++) {
        // A large batch yields to the event loop between slices, so probes and small requests
        // arriving meanwhile are not stuck behind it (and connections are served fairly).
        if (i > 0 && i % yieldEvery === 0) await new Promise(setImmediate);
        const { id, text } = ticketOf(items[i]!);
        const truncated = text.length > limits.maxTextChars;
        const p = served.predictor.predict(truncated ? text.slice(0, limits.maxTextChars) : text);
        metrics.countPrediction(p);
        predictions[i] = {
          id,
          topic_id: p.topicId,
          topic: p.topicName,
          department: p.department,
          confidence: p.confidence,
          out_of_scope: p.outOfScope,
          needs_review: p.needsReview,
          truncated,
          explanation: p.explanation,
          model_version: p.modelVersion,
        };
      }
      return reply.send({ predictions });
    },
  );
  done();
};

/** The schema guarantees one of the two shapes is complete; `{id, text}` wins when both are. */
function ticketOf(item: PredictItem): { id: string | number; text: string } {
  const ticket = item as { id?: string | number; text?: unknown };
  if (ticket.id !== undefined && typeof ticket.text === "string") return { id: ticket.id, text: ticket.text };
  const record = item as { _id: string; _source: { complaint_what_happened: string } };
  return { id: record._id, text: record._source.complaint_what_happened };
}
