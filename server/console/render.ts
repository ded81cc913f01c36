import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { Eta } from "eta";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { ReviewWorkspace } from "../../src/review/workspace.js";

/** The package root (holds package.json): views and assets are read from the source tree, built or not. */
function packageRoot(): string {
  let dir = import.meta.dirname;
  while (!existsSync(join(dir, "package.json"))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error("package.json not found above the console module");
    dir = parent;
  }
  return dir;
}

export const viewsDir = join(packageRoot(), "server", "console", "views");
export const assetsDir = join(packageRoot(), "server", "console", "assets");

const navigation = [
  { href: "/topics", label: "Topics" },
  { href: "/queue", label: "Review queue" },
  { href: "/history", label: "Taxonomy history" },
  { href: "/model", label: "Model" },
];

/** Renders eta templates with auto-escaping on: `<%= %>` escapes, and no template uses raw output for data. */
export class Pages {
  private readonly eta = new Eta({ views: viewsDir, autoEscape: true, cache: true });

  constructor(private readonly workspace: ReviewWorkspace) {}

  async send(
    request: FastifyRequest,
    reply: FastifyReply,
    view: string,
    data: Record<string, unknown>,
    status = 200,
  ): Promise<FastifyReply> {
    const csrf = await reply.generateCsrf();
    const html = this.eta.render(`./${view}`, {
      ...data,
      csrf,
      reviewer: request.reviewer?.name ?? null,
      path: request.url.split("?")[0],
      navigation,
      date: this.workspace.date,
      taxonomyVersion: this.workspace.taxonomy.value.version,
    });
    return reply.code(status).type("text/html; charset=utf-8").send(html);
  }

  notFound(request: FastifyRequest, reply: FastifyReply, message: string): Promise<FastifyReply> {
    return this.send(
      request,
      reply,
      "error",
      { title: "Not found", status: 404, message, conflict: null },
      404,
    );
  }
}
