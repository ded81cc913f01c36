import type { FastifyPluginCallbackTypebox } from "@fastify/type-provider-typebox";
import { errorBody } from "../plugins/errors.js";
import { errorResponses } from "../schemas/common.js";
import { ModelInfoSchema } from "../schemas/model.js";
import type { ApiState } from "../state.js";

/** GET /api/model: what is being served — version, taxonomy (routing table) and training metrics. */
export const modelRoutes: FastifyPluginCallbackTypebox<{ state: ApiState; secured: boolean }> = (
  app,
  { state, secured },
  done,
) => {
  app.get(
    "/api/model",
    {
      schema: {
        summary: "The served routing model",
        tags: ["model"],
        ...(secured ? { security: [{ bearer: [] }] } : {}),
        response: { 200: ModelInfoSchema, 401: errorResponses[401], 503: errorResponses[503] },
      },
    },
    (request, reply) => {
      const served = state.holder.current;
      if (!served) {
        reply.code(503).send(errorBody(503, "no valid model loaded yet", request.id));
        return;
      }
      const { model } = served;
      reply.send({
        version: model.version,
        date: model.date,
        created_at: model.createdAt,
        loaded_at: served.loadedAt.toISOString(),
        source: served.uri,
        fingerprint: served.fingerprint,
        topic_model_version: model.topicModelVersion,
        classes: model.classifier.nClasses,
        features: model.classifier.nFeatures,
        preprocess: served.preprocess,
        taxonomy: {
          version: model.taxonomy.version,
          review_threshold: model.taxonomy.reviewThreshold,
          departments: model.taxonomy.departments,
          topics: model.taxonomy.topics.map((t) => ({ id: t.id, name: t.name, department: t.department })),
        },
        training_data: { sha256: model.trainingData.sha256, rows: model.trainingData.rows },
        metrics: model.metrics,
      });
    },
  );
  done();
};
