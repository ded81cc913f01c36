import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import Fastify, { type FastifyBaseLogger, LogController } from "fastify";
import type { Logger } from "../src/util/log.js";
import { type ServerConfig, serverDefaults } from "./config.js";
import { registerDocs } from "./docs.js";
import type { ApiInstance } from "./instance.js";
import type { ApiMetrics } from "./metrics.js";
import { requireBearerToken } from "./plugins/auth.js";
import { jsonErrors } from "./plugins/errors.js";
import { jsonBodies } from "./plugins/json-body.js";
import { observeRequests } from "./plugins/observe.js";
import { answerHeaders, requestIdOf } from "./plugins/request-id.js";
import { validationMessage } from "./plugins/validation-message.js";
import { metricsRoutes } from "./routes/metrics.js";
import { modelRoutes } from "./routes/model.js";
import { predictRoutes } from "./routes/predict.js";
import { probeRoutes } from "./routes/probes.js";
import type { ApiState } from "./state.js";
import { anyWebhook, type WebhookConfig } from "./webhooks/config.js";
import { webhookRoutes } from "./webhooks/routes.js";

export type AppConfig = Pick<
  ServerConfig,
  "apiToken" | "bodyLimitBytes" | "maxBatch" | "maxTextChars" | "longText" | "accessLog"
> &
  Partial<
    Pick<
      ServerConfig,
      | "headersTimeoutSeconds"
      | "requestTimeoutSeconds"
      | "keepAliveTimeoutSeconds"
      | "idleTimeoutSeconds"
      | "metricsPort"
    >
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
  const requestTimeout = seconds(config.requestTimeoutSeconds ?? serverDefaults.requestTimeoutSeconds);
  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    // Fastify's two lines per request are replaced by one access-log line (plugins/observe.ts).
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: "request_id" }),
    genReqId: requestIdOf,
    schemaErrorFormatter: (errors, dataVar) => new Error(validationMessage(errors, dataVar)),
    bodyLimit: config.bodyLimitBytes,
    return503OnClosing: true,
    // Slow clients (one header line or body byte every few seconds) are cut off: headers and the whole
    // request have deadlines, idle keep-alive and silent connections are closed (Node checks every second).
    http: {
      headersTimeout: seconds(config.headersTimeoutSeconds ?? serverDefaults.headersTimeoutSeconds),
      requestTimeout,
      connectionsCheckingInterval: 1000,
    },
    requestTimeout,
    keepAliveTimeout: seconds(config.keepAliveTimeoutSeconds ?? serverDefaults.keepAliveTimeoutSeconds),
    connectionTimeout: seconds(config.idleTimeoutSeconds ?? serverDefaults.idleTimeoutSeconds),
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Only JSON bodies: anything else (text/plain included, which Fastify would parse) is a 415.
  app.removeContentTypeParser("text/plain");
  jsonBodies(app);
  answerHeaders(app, state);
  jsonErrors(app);
  observeRequests(app, metrics, config.accessLog);
  await registerDocs(app, version);

  const limits = { maxBatch: config.maxBatch, maxTextChars: config.maxTextChars, longText: config.longText };
  const secured = config.apiToken !== null;
  await app.register(probeRoutes, { state });
  // /metrics names the model and every topic, as /api/model does: it takes the same token, unless it
  // is served on its own internal port (INFLOW_METRICS_PORT, see serve.ts).
  const metricsHere = (config.metricsPort ?? null) === null;
  await app.register(async (api) => {
    if (config.apiToken !== null) requireBearerToken(api, config.apiToken);
    if (metricsHere) await api.register(metricsRoutes, { metrics, secured });
    await api.register(predictRoutes, { state, metrics, limits, secured });
    await api.register(modelRoutes, { state, secured });
  });
  if (webhooks && anyWebhook(webhooks))
    await app.register(webhookRoutes, {
      config: webhooks,
      state,
      metrics,
      maxTextChars: config.maxTextChars,
    });
  return app;
}

/** /metrics alone, for INFLOW_METRICS_PORT: an internal port the cluster's Prometheus scrapes without a token. */
export async function buildMetricsApp(metrics: ApiMetrics, log: Logger): Promise<ApiInstance> {
  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
  }).withTypeProvider<TypeBoxTypeProvider>();
  jsonErrors(app);
  await app.register(metricsRoutes, { metrics, secured: false });
  return app;
}

function seconds(value: number): number {
  return Math.round(value * 1000);
}
