import { STATUS_CODES } from "node:http";
import type { FastifyInstance } from "fastify";
import { TaxonomyConflict } from "../../src/review/taxonomy-edits.js";
import { InputError } from "../../src/util/errors.js";
import type { Pages } from "./render.js";

/**
 * Errors as people and scripts need them: a conflict (409) shows the latest taxonomy next to the edit
 * that was not applied, ready to apply again; bad input is a 400, a failed CSRF check a 403; anything
 * else a 500 whose message names no internals (details go to the log, which never holds ticket text);
 * an unknown address a 404 page.
 */
export function consoleErrors(app: FastifyInstance, pages: Pages): void {
  app.setErrorHandler(async (error, request, reply) => {
    const code = (error as { code?: string }).code ?? "";
    let status = 500;
    let message = "internal error: see the console's log";
    if (error instanceof TaxonomyConflict) {
      status = 409;
      message = error.message;
    } else if (error instanceof InputError) {
      status = 400;
      message = error.message;
    } else if (code.startsWith("FST_CSRF")) {
      status = 403;
      message =
        "the form expired or did not come from this console (CSRF check failed): reload the page and try again";
    } else if (
      (error as { statusCode?: number }).statusCode &&
      (error as { statusCode: number }).statusCode < 500
    ) {
      status = (error as { statusCode: number }).statusCode;
      message = (error as Error).message;
    } else request.log.error({ err: error }, "request failed");
    if (request.url.startsWith("/api/")) {
      const body: Record<string, unknown> = {
        statusCode: status,
        // The status's reason phrase, as Fastify's own errors and the API's carry it.
        error: STATUS_CODES[status] ?? "Error",
        message,
      };
      if (error instanceof TaxonomyConflict)
        Object.assign(body, { currentVersion: error.currentVersion, edit: error.edit });
      return reply.code(status).send(body);
    }
    const conflict = error instanceof TaxonomyConflict ? error : null;
    return pages.send(
      request,
      reply,
      "error",
      { title: status === 409 ? "Conflict" : "Error", status, message, conflict },
      status,
    );
  });
  // An unknown address gets the console's own page (JSON under /api/), as a known route's missing item does.
  app.setNotFoundHandler(async (request, reply) => {
    const message = `no page at ${request.url.split("?")[0]}`;
    if (request.url.startsWith("/api/"))
      return reply.code(404).send({ statusCode: 404, error: "Not Found", message });
    return pages.notFound(request, reply, message);
  });
}
