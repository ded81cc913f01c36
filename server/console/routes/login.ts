import type { FastifyInstance } from "fastify";
import { type ConsoleAuth, sessionCookie } from "../auth.js";
import type { Pages } from "../render.js";

interface Options {
  auth: ConsoleAuth;
  pages: Pages;
  cookieOptions: { httpOnly: boolean; sameSite: "strict"; path: string; secure: boolean };
}

/** Only a path on this console may follow a login (no open redirect to another site). */
function localPath(next: unknown): string {
  return typeof next === "string" && /^\/(?![/\\])/.test(next) ? next : "/topics";
}

/** The login form (name + token) starts a cookie session; the form itself is CSRF-protected. */
export async function loginRoutes(
  app: FastifyInstance,
  { auth, pages, cookieOptions }: Options,
): Promise<void> {
  app.get<{ Querystring: { next?: string } }>("/login", async (request, reply) =>
    pages.send(request, reply, "login", {
      title: "Sign in",
      next: localPath(request.query.next),
      failed: false,
    }),
  );
  app.post<{ Body: { name?: string; token?: string; next?: string } }>(
    "/login",
    { preValidation: app.csrfProtection },
    async (request, reply) => {
      const name = String(request.body?.name ?? "")
        .trim()
        .slice(0, 80);
      if (!auth.tokenMatches(String(request.body?.token ?? "")) || name === "") {
        return pages.send(
          request,
          reply,
          "login",
          { title: "Sign in", next: localPath(request.body?.next), failed: true },
          401,
        );
      }
      reply.setCookie(sessionCookie, auth.startSession(name), {
        ...cookieOptions,
        signed: true,
        maxAge: 12 * 3600,
      });
      request.log.info({ reviewer: name }, "signed in");
      return reply.redirect(localPath(request.body?.next), 303);
    },
  );
  app.post("/logout", { preValidation: app.csrfProtection }, async (request, reply) => {
    auth.endSession(auth.sessionId(request));
    reply.clearCookie(sessionCookie, { path: "/" });
    return reply.redirect("/login", 303);
  });
}
