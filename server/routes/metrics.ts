import type { FastifyPluginCallback } from "fastify";
import type { ApiMetrics } from "../metrics.js";

/** GET /metrics: the Prometheus text exposition (scraped by the ServiceMonitor). */
export const metricsRoutes: FastifyPluginCallback<{ metrics: ApiMetrics; secured: boolean }> = (
  app,
  { metrics, secured },
  done,
) => {
  app.get(
    "/metrics",
    {
      schema: {
        summary: "Prometheus metrics",
        tags: ["monitoring"],
        ...(secured ? { security: [{ bearer: [] }] } : {}),
      },
    },
    async (_request, reply) => {
      reply.type(metrics.registry.contentType);
      return metrics.registry.metrics();
    },
  );
  done();
};
