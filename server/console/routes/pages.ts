import type { FastifyInstance } from "fastify";
import { minTickets } from "../../../src/review/split.js";
import { diffTaxonomies } from "../../../src/review/taxonomy-edits.js";
import { topicRows } from "../../../src/review/topic-stats.js";
import { type ReviewWorkspace, readEvaluations } from "../../../src/review/workspace.js";
import { readVerified } from "../../../src/store/publish.js";
import { readChampionPointer } from "../../../src/tickets/champion.js";
import { Rng } from "../../../src/util/random.js";
import { histogram, sparkline } from "../charts.js";
import { topicKeys } from "../keys.js";
import type { Pages } from "../render.js";
import type { Skips } from "../skips.js";
import { undoableLabel } from "../undo.js";

interface Options {
  workspace: ReviewWorkspace;
  pages: Pages;
  skips: Skips;
}

const sampleSize = 5;

/** The console's pages (GET only: reading never changes anything). */
export async function pageRoutes(app: FastifyInstance, { workspace, pages, skips }: Options): Promise<void> {
  // A page shows what the pipeline published last (a rerun of train or label), checked every 15 s.
  app.addHook("preHandler", async () => {
    await workspace.refreshIfChanged();
  });
  app.get("/", async (_request, reply) => reply.redirect("/topics", 303));

  app.get("/topics", async (request, reply) => {
    const { topics, unassigned, total } = topicRows(
      workspace.taxonomy.value,
      workspace.tickets,
      workspace.topicTerms,
    );
    const history = await workspace.sharesOverTime();
    const rows = topics.map((t) => ({
      ...t,
      trend: sparkline(history.map((h) => ({ date: h.date, share: h.shares.get(t.id) ?? 0 }))),
      bars: histogram(t.confidence),
    }));
    return pages.send(request, reply, "topics", {
      title: "Topics",
      topics: rows,
      unassigned,
      total,
      dates: history.length,
    });
  });

  app.get<{ Params: { id: string }; Querystring: { saved?: string } }>(
    "/topics/:id",
    async (request, reply) => {
      const id = Number(request.params.id);
      const { topics } = topicRows(workspace.taxonomy.value, workspace.tickets, workspace.topicTerms);
      const topic = topics.find((t) => t.id === id);
      if (!Number.isInteger(id) || !topic)
        return pages.notFound(request, reply, `no topic ${request.params.id}`);
      const members = workspace.tickets.filter((t) => t.topic === id);
      const representative = [...members]
        .sort((a, b) => b.confidence - a.confidence || a.id.localeCompare(b.id))
        .slice(0, sampleSize);
      const chosen = new Set(representative.map((t) => t.id));
      const rest = members.filter((t) => !chosen.has(t.id));
      const rng = new Rng(id + 1);
      for (let i = rest.length - 1; i > 0; i--) {
        const j = rng.nextUint32() % (i + 1);
        [rest[i], rest[j]] = [rest[j]!, rest[i]!];
      }
      const routed = [...workspace.routedDepartments(id)].sort((a, b) => b[1] - a[1]);
      return pages.send(request, reply, "topic", {
        title: topic.name,
        topic,
        representative: await workspace.reviewTickets(representative),
        random: await workspace.reviewTickets(rest.slice(0, sampleSize)),
        routed,
        routedTotal: routed.reduce((sum, [, n]) => sum + n, 0),
        departments: workspace.taxonomy.value.departments,
        others: topics.filter((t) => t.id !== id && t.mergedInto === undefined),
        router: workspace.router?.model.version ?? null,
        // Offered only where a split can run: a smaller topic would lead to an error page.
        splitMinimum: members.length >= minTickets ? null : minTickets,
        saved: request.query.saved ?? null,
      });
    },
  );

  app.get<{ Params: { id: string } }>("/topics/:id/split", async (request, reply) => {
    const id = Number(request.params.id);
    const topic = workspace.taxonomy.value.topics.find((t) => t.id === id);
    if (!Number.isInteger(id) || !topic)
      return pages.notFound(request, reply, `no topic ${request.params.id}`);
    const preview = await workspace.previewSplit(id);
    const halves = await Promise.all(
      preview.halves.map(async (half) => ({
        terms: half.terms.map((t) => t.term),
        size: half.rows.length,
        tickets: await workspace.reviewTickets(half.rows.slice(0, 4).map((row) => workspace.tickets[row]!)),
      })),
    );
    return pages.send(request, reply, "split", { title: `Split ${topic.name}`, topic, halves });
  });

  app.get<{ Params: { id: string } }>("/tickets/:id", async (request, reply) => {
    const ticket = workspace.tickets.find((t) => t.id === request.params.id);
    if (!ticket) return pages.notFound(request, reply, "no such ticket");
    const [shown] = await workspace.reviewTickets([ticket]);
    const names = new Map(workspace.taxonomy.value.topics.map((t) => [t.id, t.name]));
    const label = workspace.current().get(ticket.id) ?? null;
    return pages.send(request, reply, "ticket", {
      title: `Ticket ${ticket.id}`,
      ticket: shown,
      names,
      label,
    });
  });

  app.get("/queue", async (request, reply) => {
    const reviewer = request.reviewer!.name;
    const upcoming = workspace.queue(6, skips.of(reviewer));
    const tickets = await workspace.reviewTickets(upcoming.map((u) => u.ticket));
    const items = upcoming.map((u, i) => ({ ...tickets[i]!, margin: u.margin, predicted: u.predicted }));
    const answered = workspace.current();
    const keys = topicKeys(workspace.taxonomy.value, workspace.topicTerms);
    const perTopic = new Map<number, number>();
    for (const label of answered.values())
      if (label.answer.kind === "topic")
        perTopic.set(label.answer.topic, (perTopic.get(label.answer.topic) ?? 0) + 1);
    const names = new Map(workspace.taxonomy.value.topics.map((t) => [t.id, t.name]));
    return pages.send(request, reply, "queue", {
      title: "Review queue",
      items,
      keys,
      names,
      progress: {
        // Your labels still in force: an undone label no longer counts.
        mine: [...answered.values()].filter((l) => l.reviewer === reviewer).length,
        labelled: answered.size,
        total: workspace.tickets.length,
        perTopic: keys.map((k) => ({ ...k, count: perTopic.get(k.id) ?? 0 })),
      },
      strategy: workspace.router ? "margin" : "topic-confidence",
      canUndo: undoableLabel(workspace.labels, reviewer) !== undefined,
    });
  });

  app.get<{ Querystring: { saved?: string } }>("/history", async (request, reply) => {
    const versions = await workspace.history();
    const rows = versions
      .map((v, i) => ({
        ...v,
        changes: diffTaxonomies(i > 0 ? versions[i - 1]!.taxonomy : null, v.taxonomy),
      }))
      .reverse();
    return pages.send(request, reply, "history", {
      title: "Taxonomy history",
      versions: rows,
      current: workspace.taxonomy.value.version,
      saved: request.query.saved ?? null,
    });
  });

  app.get("/model", async (request, reply) => {
    const evaluations = await readEvaluations(workspace.store, workspace.date);
    const names = new Map(workspace.taxonomy.value.topics.map((t) => [t.id, t.name]));
    // What the API answers with: not always the newest router (a kept champion, or one carrying people's renames).
    const champion = await readChampionPointer(workspace.store);
    return pages.send(request, reply, "model", {
      title: "Model",
      served: champion ? { version: champion.challenger.version, since: champion.date } : null,
      evaluations,
      router: workspace.router
        ? {
            version: workspace.router.model.version,
            metrics: workspace.router.model.metrics,
            classes: workspace.router.model.classTopics.map((id) => names.get(id) ?? `topic ${id}`),
          }
        : null,
    });
  });

  app.get<{ Params: { date: string } }>("/model/:date/confusion.png", async (request, reply) => {
    const evaluation = (await readEvaluations(workspace.store, workspace.date)).find(
      (e) => e.date === request.params.date,
    );
    if (!evaluation?.confusion)
      return reply
        .code(404)
        .send({ statusCode: 404, error: "Not Found", message: "no confusion matrix for that date" });
    return reply.type("image/png").send(await readVerified(workspace.store, evaluation.confusion));
  });
}
