import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import Fastify, { type FastifyBaseLogger, LogController } from "fastify";
import type { Logger } from "../src/util/log.js";
import type { ServerConfig } from "./config.js";
import { registerDocs } from "./docs.js";
import type { ApiInstance } from "./instance.js";
import type { ApiMetrics } from "./metrics.js";
import { requireBearerToken } from "./plugins/auth.js";
import { jsonErrors } from "./plugins/errors.js";
import { observeRequests } from "./plugins/observe.js";
import { echoRequestId, requestIdOf } from "./plugins/request-id.js";
import { validationMessage } from "./plugins/validation-message.js";
import { metricsRoutes } from "./routes/metrics.js";
import { modelRoutes } from "./routes/model.js";
import { predictRoutes } from "./routes/predict.js";
import { probeRoutes } from "./routes/probes.js";
import type { ApiState } from "./state.js";
import type { WebhookConfig } from "./webhooks/config.js";
import { webhookRoutes } from "./webhooks/routes.js";

export type AppConfig = Pick<
  ServerConfig,
  "apiToken" | "bodyLimitBytes" | "maxBatch" | "maxTextChars" | "longText" | "accessLog"
>;

export interface AppDependencies {
  config: AppConfig;
  state: ApiState;
  metrics: ApiMetrics;
  log: Logger;
  /** Shown in the OpenAPI document. */
  version?: string;
  /** Help-desk webhooks (signed by their senders, so outside the bearer-token scope). */
  webhooks?: WebhookConfig;
}

/**
 * The classify API as a Fastify instance (not listening): JSON schemas validate requests (no type
 * coercion: a number where text belongs is a 400), serialize responses and generate the OpenAPI.
 */
export async function buildApp({
  config,
  state,
  metrics,
  log,
  version = "0.1.0",
  webhooks,
}: AppDependencies): Promise<ApiInstance> {
  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    // Fastify's two lines per request are replaced by one access-log line (plugins/observe.ts).
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: "request_id" }),
    genReqId: requestIdOf,
    schemaErrorFormatter: (errors, dataVar) => new Error(validationMessage(errors, dataVar)),
    bodyLimit: config.bodyLimitBytes,
    return503OnClosing: true,
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Only JSON bodies: anything else (text/plain included, which Fastify would parse) is a 415.
  app.removeContentTypeParser("text/plain");
  echoRequestId(app);
  jsonErrors(app);
  observeRequests(app, metrics, config.accessLog);
  await registerDocs(app, version);

  const limits = { maxBatch: config.maxBatch, maxTextChars: config.maxTextChars, longText: config.longText };
  const secured = config.apiToken !== null;
  await app.register(probeRoutes, { state });
  await app.register(metricsRoutes, { metrics });
  await app.register(async (api) => {
    if (config.apiToken !== null) requireBearerToken(api, config.apiToken);
    await api.register(predictRoutes, { state, metrics, limits, secured });
    await api.register(modelRoutes, { state, secured });
  });
  if (webhooks)
    await app.register(webhookRoutes, {
      config: webhooks,
      state,
      metrics,
      maxTextChars: config.maxTextChars,
    });
  return app;
}
