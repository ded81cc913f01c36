import { type Static, Type } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import { topicRows } from "../../../src/review/topic-stats.js";
import { changeGuard } from "../guard.js";
import type { RouteOptions } from "./options.js";

const QueueQuery = Type.Object({
  size: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 20 })),
});
const Answer = Type.Union([
  Type.Object(
    { kind: Type.Literal("topic"), topic: Type.Integer({ minimum: 0 }) },
    { additionalProperties: false },
  ),
  Type.Object(
    { kind: Type.Literal("new-topic"), name: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })) },
    { additionalProperties: false },
  ),
  Type.Object({ kind: Type.Literal("retract") }, { additionalProperties: false }),
]);
const LabelsBody = Type.Object(
  {
    labels: Type.Array(
      Type.Object(
        { ticketId: Type.String({ minLength: 1, maxLength: 200 }), answer: Answer },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 1000 },
    ),
  },
  { additionalProperties: false },
);

/**
 * The JSON API behind the queue: what the console's own pages do, for scripts (the simulated reviewer
 * in bench/review.ts uses exactly these calls). Bearer-token clients need no CSRF token; browser
 * sessions do (header `csrf-token`).
 */
export async function apiRoutes(
  app: FastifyInstance,
  { workspace, skips, log }: RouteOptions,
): Promise<void> {
  const preValidation = changeGuard(app);

  app.get("/api/topics", async () => {
    const { topics, unassigned, total } = topicRows(
      workspace.taxonomy.value,
      workspace.tickets,
      workspace.topicTerms,
    );
    return {
      date: workspace.date,
      taxonomyVersion: workspace.taxonomy.value.version,
      total,
      unassigned,
      topics,
    };
  });

  app.get<{ Querystring: Static<typeof QueueQuery> }>(
    "/api/queue",
    { schema: { querystring: QueueQuery } },
    async (request) => {
      const items = workspace.queue(request.query.size ?? 20, skips.of(request.reviewer!.name));
      const tickets = await workspace.reviewTickets(items.map((i) => i.ticket));
      return {
        date: workspace.date,
        strategy: workspace.router ? "margin" : "topic-confidence",
        labelled: workspace.current().size,
        items: items.map((item, i) => ({ ...tickets[i]!, margin: item.margin, predicted: item.predicted })),
      };
    },
  );

  app.post<{ Body: Static<typeof LabelsBody> }>(
    "/api/labels",
    { preValidation, schema: { body: LabelsBody } },
    async (request) => {
      const labels = await workspace.labelMany(request.body.labels, request.reviewer!.name, "console");
      log.info(
        { reviewer: request.reviewer!.name, action: "label", count: labels.length },
        "tickets labelled",
      );
      return { accepted: labels.length, labelled: workspace.current().size };
    },
  );
}
