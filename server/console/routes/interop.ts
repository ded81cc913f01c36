import { type Static, Type } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import {
  importLabelStudio,
  labelingConfig,
  labelStudioTasks,
  queueCsv,
} from "../../../src/review/label-studio.js";
import { changeGuard } from "../guard.js";
import { topicKeys } from "../keys.js";
import type { RouteOptions } from "./options.js";

const ExportQuery = Type.Object({
  size: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
});

/** The review queue out to Label Studio (tasks JSON, labeling config) and CSV; Label Studio's JSON export back in. */
export async function interopRoutes(
  app: FastifyInstance,
  { workspace, skips, log }: RouteOptions,
): Promise<void> {
  const preValidation = changeGuard(app);
  const names = () => new Map(workspace.taxonomy.value.topics.map((t) => [t.id, t.name]));
  const queueTasks = async (size: number, reviewer: string) => {
    const items = workspace.queue(size, skips.of(reviewer));
    const tickets = await workspace.reviewTickets(items.map((i) => i.ticket));
    return items.map((item, i) => ({
      id: item.ticket.id,
      text: tickets[i]!.text,
      predicted: item.predicted,
      margin: item.margin,
    }));
  };
  const attachment = (name: string) => `attachment; filename="${name}"`;

  app.get<{ Querystring: Static<typeof ExportQuery> }>(
    "/api/export/label-studio.json",
    { schema: { querystring: ExportQuery } },
    async (request, reply) => {
      const tasks = labelStudioTasks(
        await queueTasks(request.query.size ?? 100, request.reviewer!.name),
        names(),
        workspace.router?.model.version ?? "topic-model",
      );
      return reply
        .header("content-disposition", attachment(`inflow-queue-${workspace.date}.json`))
        .send(tasks);
    },
  );

  app.get("/api/export/label-studio-config.xml", async (_request, reply) =>
    reply
      .type("application/xml; charset=utf-8")
      .header("content-disposition", attachment("inflow-labeling-config.xml"))
      .send(labelingConfig(topicKeys(workspace.taxonomy.value))),
  );

  app.get<{ Querystring: Static<typeof ExportQuery> }>(
    "/api/export/queue.csv",
    { schema: { querystring: ExportQuery } },
    async (request, reply) =>
      reply
        .type("text/csv; charset=utf-8")
        .header("content-disposition", attachment(`inflow-queue-${workspace.date}.csv`))
        .send(queueCsv(await queueTasks(request.query.size ?? 100, request.reviewer!.name), names())),
  );

  app.post("/api/import/label-studio", { preValidation }, async (request) => {
    const { labels, skipped } = importLabelStudio(request.body);
    const imported = await workspace.importLabels(labels);
    log.info(
      {
        reviewer: request.reviewer!.name,
        action: "import",
        labels: imported.length,
        skipped: skipped.length,
      },
      "labels imported",
    );
    return { imported: imported.length, skipped };
  });
}
