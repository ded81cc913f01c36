import type { FastifyPluginCallbackTypebox } from "@fastify/type-provider-typebox";
import { HealthSchema, ReadySchema } from "../schemas/model.js";
import type { ApiState } from "../state.js";

/** Kubernetes probes: health is liveness (the process answers); ready means a model serves and no shutdown began. */
export const probeRoutes: FastifyPluginCallbackTypebox<{ state: ApiState }> = (app, { state }, done) => {
  app.get(
    "/api/health",
    { schema: { summary: "Liveness", tags: ["probes"], response: { 200: HealthSchema } } },
    (_request, reply) => {
      reply.send({ status: "ok" as const });
    },
  );
  app.get(
    "/api/ready",
    {
      schema: {
        summary: "Readiness: 200 while a valid model is loaded and the server is not shutting down",
        tags: ["probes"],
        response: { 200: ReadySchema, 503: ReadySchema },
      },
    },
    (_request, reply) => {
      const served = state.holder.current;
      if (state.shuttingDown) {
        reply.code(503).send({
          status: "not ready" as const,
          model_version: served?.model.version ?? null,
          reason: "shutting down",
        });
      } else if (!served) {
        reply
          .code(503)
          .send({ status: "not ready" as const, model_version: null, reason: "no valid model loaded yet" });
      } else {
        reply.send({ status: "ready" as const, model_version: served.model.version });
      }
    },
  );
  done();
};
