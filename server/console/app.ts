import { randomBytes } from "node:crypto";
import cookie from "@fastify/cookie";
import csrf from "@fastify/csrf-protection";
import formbody from "@fastify/formbody";
import staticFiles from "@fastify/static";
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from "fastify";
import type { ReviewWorkspace } from "../../src/review/workspace.js";
import type { Logger } from "../../src/util/log.js";
import { ConsoleAuth, refuse } from "./auth.js";
import type { ConsoleConfig } from "./config.js";
import { consoleErrors } from "./errors.js";
import { assetsDir, Pages } from "./render.js";
import { actionRoutes } from "./routes/actions.js";
import { apiRoutes } from "./routes/api.js";
import { interopRoutes } from "./routes/interop.js";
import { loginRoutes } from "./routes/login.js";
import { pageRoutes } from "./routes/pages.js";
import { Skips } from "./skips.js";

export interface ConsoleDependencies {
  config: Pick<ConsoleConfig, "token" | "userHeader" | "secureCookies">;
  workspace: ReviewWorkspace;
  log: Logger;
}

/** Paths served before sign-in. */
const open = /^\/(login|assets\/|healthz$)/;

/**
 * The review console as a Fastify instance (not listening): server-rendered pages (eta templates,
 * auto-escaped), a small script for keyboard labelling, and the JSON API the script and the simulated
 * reviewer use. Every change is a POST behind the CSRF check (browser sessions) and lands in the audit trail.
 */
export async function buildConsole({
  config,
  workspace,
  log,
}: ConsoleDependencies): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    // Fastify's request lines would carry query strings; one access line per response is written below.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 8 * 1024 * 1024,
  });
  const auth = new ConsoleAuth(config.token, config.userHeader);
  const cookieOptions = {
    httpOnly: true,
    sameSite: "strict" as const,
    path: "/",
    secure: config.secureCookies,
  };
  // Cookies are signed with a key made at start: sessions end with the process, nothing to leak or rotate.
  await app.register(cookie, { secret: randomBytes(32).toString("hex") });
  await app.register(formbody);
  await app.register(csrf, { cookieOpts: { ...cookieOptions, signed: true } });
  await app.register(staticFiles, { root: assetsDir, prefix: "/assets/", decorateReply: false });
  app.decorateRequest("reviewer", null);

  app.addHook("onRequest", async (request, reply) => {
    reply.headers({
      "content-security-policy":
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
      "x-content-type-options": "nosniff",
      "referrer-policy": "no-referrer",
      "cache-control": "no-store",
    });
    if (open.test(request.url)) return;
    request.reviewer = auth.identify(request);
    if (!request.reviewer) return refuse(request, reply);
  });
  // One line per response: method, route pattern and status; never a query string, body or ticket text.
  app.addHook("onResponse", async (request, reply) => {
    log.info(
      {
        method: request.method,
        route: request.routeOptions.url ?? "unmatched",
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
        reviewer: request.reviewer?.name,
      },
      "request",
    );
  });
  app.get("/healthz", async () => ({ status: "ok" }));

  const pages = new Pages(workspace);
  consoleErrors(app, pages);
  await app.register(loginRoutes, { auth, pages, cookieOptions });
  const skips = new Skips();
  await app.register(pageRoutes, { workspace, pages, skips });
  await app.register(actionRoutes, { workspace, skips, log });
  await app.register(apiRoutes, { workspace, skips, log });
  await app.register(interopRoutes, { workspace, skips, log });
  return app;
}
