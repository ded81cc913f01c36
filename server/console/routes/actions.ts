import type { FastifyInstance, FastifyReply } from "fastify";
import type { HumanAnswer } from "../../../src/review/human-labels.js";
import type { TaxonomyEdit } from "../../../src/review/taxonomy-edits.js";
import { InputError } from "../../../src/util/errors.js";
import { changeGuard } from "../guard.js";
import { undoableLabel } from "../undo.js";
import type { RouteOptions } from "./options.js";

type Form = Record<string, string | undefined>;

function integer(value: string | undefined, what: string): number {
  const n = Number(value);
  if (value === undefined || value.trim() === "" || !Number.isInteger(n))
    throw new InputError(`${what} must be an integer`);
  return n;
}

/** Form posts from the pages: each applies one change, then sends the browser back (post/redirect/get). */
export async function actionRoutes(
  app: FastifyInstance,
  { workspace, skips, log }: RouteOptions,
): Promise<void> {
  const preValidation = changeGuard(app);

  const topicEdit =
    (build: (id: number, form: Form) => Exclude<TaxonomyEdit, { action: "split" | "revert" }>) =>
    async (
      request: { params: { id: string }; body: Form; reviewer: { name: string } | null },
      reply: FastifyReply,
    ) => {
      const id = integer(request.params.id, "topic id");
      const edit = build(id, request.body ?? {});
      const next = await workspace.edit(
        integer(request.body?.base, "base version"),
        edit,
        request.reviewer!.name,
      );
      // The audit line names the change, never ticket text (topic names are the reviewers' own words).
      log.info(
        { reviewer: request.reviewer!.name, action: edit.action, topic: id, version: next.version },
        "taxonomy changed",
      );
      return reply.redirect(`/topics/${edit.action === "merge" ? edit.into : id}?saved=${edit.action}`, 303);
    };

  app.post<{ Params: { id: string }; Body: Form }>(
    "/topics/:id/rename",
    { preValidation },
    topicEdit((id, form) => ({ action: "rename", topic: id, name: form.name ?? "" })),
  );
  app.post<{ Params: { id: string }; Body: Form }>(
    "/topics/:id/route",
    { preValidation },
    topicEdit((id, form) => ({
      action: "route",
      topic: id,
      department: (form.newDepartment?.trim() || form.department) ?? "",
    })),
  );
  app.post<{ Params: { id: string }; Body: Form }>(
    "/topics/:id/merge",
    { preValidation },
    topicEdit((id, form) => ({ action: "merge", topic: id, into: integer(form.into, "merge target") })),
  );
  app.post<{ Params: { id: string }; Body: Form }>(
    "/topics/:id/noise",
    { preValidation },
    topicEdit((id, form) => ({ action: "noise", topic: id, noise: form.noise === "true" })),
  );

  app.post<{ Params: { id: string }; Body: Form }>(
    "/topics/:id/split",
    { preValidation },
    async (request, reply) => {
      const id = integer(request.params.id, "topic id");
      const { taxonomy, newTopic } = await workspace.split(
        integer(request.body?.base, "base version"),
        id,
        request.reviewer!.name,
      );
      log.info(
        { reviewer: request.reviewer!.name, action: "split", topic: id, newTopic, version: taxonomy.version },
        "taxonomy changed",
      );
      return reply.redirect(`/topics/${newTopic}?saved=split`, 303);
    },
  );

  app.post<{ Body: Form }>("/history/revert", { preValidation }, async (request, reply) => {
    const to = integer(request.body?.to, "version");
    const next = await workspace.edit(
      integer(request.body?.base, "base version"),
      { action: "revert", toVersion: to },
      request.reviewer!.name,
    );
    log.info(
      { reviewer: request.reviewer!.name, action: "revert", to, version: next.version },
      "taxonomy changed",
    );
    return reply.redirect("/history?saved=revert", 303);
  });

  app.post<{ Body: Form }>("/queue/label", { preValidation }, async (request, reply) => {
    const ticket = request.body?.ticket ?? "";
    const name = request.body?.name?.trim();
    const answer: HumanAnswer =
      request.body?.topic === "new"
        ? name
          ? { kind: "new-topic", name }
          : { kind: "new-topic" }
        : { kind: "topic", topic: integer(request.body?.topic, "topic") };
    await workspace.label(ticket, answer, request.reviewer!.name);
    log.info({ reviewer: request.reviewer!.name, action: "label", kind: answer.kind }, "ticket labelled");
    return reply.redirect("/queue", 303);
  });

  app.post<{ Body: Form }>("/queue/skip", { preValidation }, async (request, reply) => {
    skips.of(request.reviewer!.name).add(request.body?.ticket ?? "");
    return reply.redirect("/queue", 303);
  });

  app.post("/queue/undo", { preValidation }, async (request, reply) => {
    const reviewer = request.reviewer!.name;
    const last = undoableLabel(workspace.labels, reviewer);
    if (last) {
      await workspace.label(last.ticketId, { kind: "retract" }, reviewer);
      log.info({ reviewer, action: "undo" }, "label retracted");
    }
    return reply.redirect("/queue", 303);
  });
}
