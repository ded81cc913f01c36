import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { type Static, Type } from "@sinclair/typebox";
import type { FastifyReply, FastifyRequest } from "fastify";
import { Counter } from "prom-client";
import type { Prediction } from "../../src/classify/model-predict.js";
import type { ApiMetrics } from "../metrics.js";
import { classifyTexts } from "../model/classify.js";
import { errorBody } from "../plugins/errors.js";
import { ticketOf } from "../routes/predict.js";
import { ErrorSchema } from "../schemas/common.js";
import { predictBodySchema } from "../schemas/predict.js";
import type { ApiState } from "../state.js";
import type { WebhookConfig } from "./config.js";
import {
  JiraEventSchema,
  jiraText,
  jiraWriteBack,
  ZendeskEventSchema,
  zendeskText,
  zendeskWriteBack,
} from "./helpdesks.js";
import { SeenDeliveries } from "./replay.js";
import { hubSignature, sameSignature, zendeskSignature } from "./signature.js";
import {
  sendWithRetries,
  WriteBackRefused,
  type WriteBackRequest,
  WriteBackUnavailable,
} from "./writeback.js";

interface WebhookOptions {
  config: WebhookConfig;
  state: ApiState;
  metrics: ApiMetrics;
  maxTextChars: number;
}

const WebhookResultSchema = Type.Object(
  {
    status: Type.Union([Type.Literal("routed"), Type.Literal("duplicate"), Type.Literal("ignored")]),
    id: Type.Optional(Type.String()),
    department: Type.Optional(Type.String()),
    topic: Type.Optional(Type.String()),
    confidence: Type.Optional(Type.Number()),
    needs_review: Type.Optional(Type.Boolean()),
    model_version: Type.Optional(Type.String()),
    written_back: Type.Boolean({ description: "the department and tags were written to the help desk" }),
  },
  { title: "WebhookResult" },
);
type WebhookResult = Static<typeof WebhookResultSchema>;

const responses = {
  200: WebhookResultSchema,
  400: ErrorSchema,
  401: ErrorSchema,
  502: ErrorSchema,
  503: ErrorSchema,
};

/**
 * POST /api/webhooks/{zendesk,jira,generic}: verify the sender's signature over the raw body (and
 * the signed time, so a captured request cannot be replayed later), drop redeliveries, classify with
 * the served model, write the department and tags back to the help desk, then answer. The answer
 * waits for the write-back (bounded by INFLOW_WEBHOOK_BUDGET_MS), so a 200 means it is done and a
 * 503 asks the sender to redeliver: nothing is acknowledged that was not applied.
 */
export const webhookRoutes: FastifyPluginAsyncTypebox<WebhookOptions> = async (
  app,
  { config, state, metrics, maxTextChars },
) => {
  const raw = new WeakMap<FastifyRequest, Buffer>();
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "buffer" }, (request, body, done) => {
    raw.set(request, body as Buffer);
    try {
      done(null, JSON.parse((body as Buffer).toString("utf8")));
    } catch {
      done(Object.assign(new Error("body is not valid JSON"), { statusCode: 400 }), undefined);
    }
  });
  const deliveries = new Counter({
    name: "inflow_webhook_deliveries_total",
    help: "Help-desk webhook deliveries by source and outcome (routed, duplicate, ignored, unauthorized, refused, unavailable)",
    labelNames: ["source", "outcome"] as const,
    registers: [metrics.registry],
  });
  const seen = new SeenDeliveries();

  const refuse = (reply: FastifyReply, request: FastifyRequest, source: string, message: string) => {
    deliveries.inc({ source, outcome: "unauthorized" });
    reply.code(401).send(errorBody(401, message, request.id));
  };
  const fresh = (seconds: number) => Math.abs(Date.now() / 1000 - seconds) <= config.toleranceSeconds;

  /** Classify, write back, answer; the delivery counts as seen only once the write-back succeeded. */
  const route = async (
    request: FastifyRequest,
    reply: FastifyReply,
    source: string,
    delivery: string,
    id: string,
    text: string,
    writeBack: ((p: Prediction, key: string) => WriteBackRequest) | null,
  ): Promise<WebhookResult | undefined> => {
    if (seen.has(delivery)) {
      deliveries.inc({ source, outcome: "duplicate" });
      return { status: "duplicate", id, written_back: false };
    }
    const served = state.holder.current;
    if (!served) {
      deliveries.inc({ source, outcome: "unavailable" });
      reply
        .code(503)
        .header("retry-after", "30")
        .send(errorBody(503, "no valid model loaded yet", request.id));
      return;
    }
    // Off the event loop like /api/predict: a help desk's ticket may be as long as the text limit.
    const p = (await classifyTexts(served, [text]))[0]!;
    metrics.countPrediction(p);
    if (writeBack) {
      try {
        await sendWithRetries(writeBack(p, `inflow-${source}-${delivery}`), config);
      } catch (error) {
        if (error instanceof WriteBackRefused) {
          deliveries.inc({ source, outcome: "refused" });
          request.log.warn({ source, status: error.status }, "help desk refused the write-back");
          reply.code(502).send(errorBody(502, `write-back refused: ${error.message}`, request.id));
          return;
        }
        if (error instanceof WriteBackUnavailable) {
          deliveries.inc({ source, outcome: "unavailable" });
          request.log.warn({ source, problem: error.message }, "write-back not done; asking for redelivery");
          reply
            .code(503)
            .header("retry-after", String(error.retryAfterSeconds))
            .send(errorBody(503, `write-back not done (${error.message}); redeliver later`, request.id));
          return;
        }
        throw error;
      }
    }
    seen.add(delivery);
    deliveries.inc({ source, outcome: "routed" });
    return {
      status: "routed",
      id,
      department: p.department,
      topic: p.topicName,
      confidence: p.confidence,
      needs_review: p.needsReview,
      model_version: p.modelVersion,
      written_back: writeBack !== null,
    };
  };

  const zendesk = config.zendesk;
  if (zendesk) {
    app.post(
      "/api/webhooks/zendesk",
      {
        schema: {
          summary: "Zendesk ticket.created webhook: route the ticket and set its group and tags",
          description:
            "Signed by Zendesk: X-Zendesk-Webhook-Signature = base64(HMAC-SHA256(secret, X-Zendesk-Webhook-Signature-Timestamp + body)).",
          tags: ["webhooks"],
          body: ZendeskEventSchema,
          response: responses,
        },
        preValidation: (request, reply, done) => {
          const timestamp = request.headers["x-zendesk-webhook-signature-timestamp"];
          const signature = request.headers["x-zendesk-webhook-signature"];
          const body = raw.get(request) ?? Buffer.alloc(0);
          if (
            typeof timestamp !== "string" ||
            !sameSignature(signature as string | undefined, zendeskSignature(zendesk.secret, timestamp, body))
          ) {
            refuse(reply, request, "zendesk", "invalid or missing Zendesk webhook signature");
            return;
          }
          if (!fresh(Date.parse(timestamp) / 1000)) {
            refuse(reply, request, "zendesk", "signature timestamp outside the accepted window (replay?)");
            return;
          }
          done();
        },
      },
      async (request, reply) => {
        const event = request.body;
        if (event.type !== "zen:event-type:ticket.created") {
          deliveries.inc({ source: "zendesk", outcome: "ignored" });
          return { status: "ignored" as const, written_back: false };
        }
        const ticketId = String(event.detail.id);
        const result = await route(
          request,
          reply,
          "zendesk",
          event.id,
          ticketId,
          zendeskText(event),
          (p, key) => zendeskWriteBack(zendesk, ticketId, p, key),
        );
        return result ?? reply;
      },
    );
  }

  const jira = config.jira;
  if (jira) {
    app.post(
      "/api/webhooks/jira",
      {
        schema: {
          summary: "Jira / Jira Service Management issue_created webhook: route the issue and label it",
          description:
            "Signed by Jira (admin webhook with a secret): X-Hub-Signature = sha256=<hex HMAC-SHA256(secret, body)>.",
          tags: ["webhooks"],
          body: JiraEventSchema,
          response: responses,
        },
        preValidation: (request, reply, done) => {
          const body = raw.get(request) ?? Buffer.alloc(0);
          if (
            !sameSignature(
              request.headers["x-hub-signature"] as string | undefined,
              hubSignature(jira.secret, body),
            )
          ) {
            refuse(reply, request, "jira", "invalid or missing Jira webhook signature (X-Hub-Signature)");
            return;
          }
          done();
        },
      },
      async (request, reply) => {
        const event = request.body;
        if (!fresh(event.timestamp / 1000)) {
          refuse(reply, request, "jira", "event timestamp outside the accepted window (replay?)");
          return reply;
        }
        if (event.webhookEvent !== "jira:issue_created") {
          deliveries.inc({ source: "jira", outcome: "ignored" });
          return { status: "ignored" as const, written_back: false };
        }
        const delivery =
          (request.headers["x-atlassian-webhook-identifier"] as string | undefined) ??
          `${event.issue.id}:${event.timestamp}`;
        const result = await route(
          request,
          reply,
          "jira",
          delivery,
          event.issue.key,
          jiraText(event),
          (p, key) => jiraWriteBack(jira, event.issue.key, p, key),
        );
        return result ?? reply;
      },
    );
  }

  const genericSecret = config.genericSecret;
  if (genericSecret) {
    const ticket = predictBodySchema({ maxBatch: 1, maxTextChars, longText: "truncate" }).items;
    app.post(
      "/api/webhooks/generic",
      {
        schema: {
          summary: "Generic JSON webhook: route one ticket (answered, nothing written back)",
          description:
            "Body: one ticket in a shape POST /api/predict accepts. Headers: X-Inflow-Timestamp (Unix seconds) and " +
            "X-Inflow-Signature = sha256=<hex HMAC-SHA256(secret, timestamp + '.' + body)>.",
          tags: ["webhooks"],
          body: ticket,
          response: responses,
        },
        preValidation: (request, reply, done) => {
          const timestamp = request.headers["x-inflow-timestamp"];
          const body = raw.get(request) ?? Buffer.alloc(0);
          const signed = Buffer.concat([Buffer.from(`${timestamp}.`), body]);
          if (
            typeof timestamp !== "string" ||
            !sameSignature(
              request.headers["x-inflow-signature"] as string | undefined,
              hubSignature(genericSecret, signed),
            )
          ) {
            refuse(reply, request, "generic", "invalid or missing X-Inflow-Signature");
            return;
          }
          if (!fresh(Number(timestamp))) {
            refuse(reply, request, "generic", "X-Inflow-Timestamp outside the accepted window (replay?)");
            return;
          }
          done();
        },
      },
      async (request, reply) => {
        const { id, text } = ticketOf(request.body);
        const delivery = `${id}:${request.headers["x-inflow-timestamp"]}`;
        const result = await route(request, reply, "generic", delivery, String(id), text, null);
        return result ?? reply;
      },
    );
  }
};
