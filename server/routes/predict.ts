import type { FastifyPluginCallbackTypebox } from "@fastify/type-provider-typebox";
import { predictionFields } from "../../src/classify/prediction-fields.js";
import { isTruncated } from "../../src/text/limits.js";
import type { ApiMetrics } from "../metrics.js";
import { classifyTexts } from "../model/classify.js";
import { errorBody } from "../plugins/errors.js";
import { errorResponses } from "../schemas/common.js";
import {
  type PredictItem,
  type PredictResponse,
  PredictResponseSchema,
  predictBodySchema,
  type TicketLimits,
} from "../schemas/predict.js";
import { ticketIdProblem } from "../schemas/ticket-ids.js";
import type { ApiState } from "../state.js";

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
      const body = request.body;
      const ids: (string | number)[] = new Array(body.length);
      const texts: string[] = new Array(body.length);
      for (let i = 0; i < body.length; i++) {
        const ticket = ticketOf(body[i]!);
        ids[i] = ticket.id;
        texts[i] = ticket.text;
      }
      const idProblem = ticketIdProblem(ids);
      if (idProblem !== null) {
        reply.code(400).send(errorBody(400, idProblem, request.id));
        return;
      }
      metrics.batchSize.observe(body.length);
      // Long or slow texts run on the worker pool, so probes and small requests arriving meanwhile
      // are not stuck behind them (server/model/classify.ts).
      const answers = await classifyTexts(served, texts);
      const predictions: PredictResponse["predictions"] = new Array(answers.length);
      for (let i = 0; i < answers.length; i++) {
        const p = answers[i]!;
        metrics.countPrediction(p);
        predictions[i] = {
          ...predictionFields(ids[i]!, p, isTruncated(texts[i]!, limits)),
          explanation: p.explanation,
        };
      }
      return reply.send({ predictions });
    },
  );
  done();
};

/** The schema guarantees one of the two shapes is complete; `{id, text}` wins when both are. */
export function ticketOf(item: PredictItem): { id: string | number; text: string } {
  const ticket = item as { id?: string | number; text?: unknown };
  if (ticket.id !== undefined && typeof ticket.text === "string") return { id: ticket.id, text: ticket.text };
  const record = item as { _id: string; _source: { complaint_what_happened: string } };
  return { id: record._id, text: record._source.complaint_what_happened };
}
