import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";

/** Who is signed in, and how: a cookie session and a proxy header are browser sessions (CSRF applies). */
export interface Reviewer {
  name: string;
  via: "session" | "proxy" | "bearer";
}

declare module "fastify" {
  interface FastifyRequest {
    reviewer: Reviewer | null;
  }
}

export const sessionCookie = "inflow_console_session";
const sessionHours = 12;

function digest(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}

/**
 * Sign-in: the token (as `Authorization: Bearer`, or once through the login form, which starts a
 * cookie session) or, when configured, the user header of an authenticating proxy. Sessions live in
 * this process only: a restart signs everyone out, which is the safe failure.
 */
export class ConsoleAuth {
  private readonly expected: Buffer;
  private readonly sessions = new Map<string, { name: string; expires: number }>();

  constructor(
    token: string,
    private readonly userHeader: string | null,
  ) {
    this.expected = digest(token);
  }

  /** Constant-time: both sides are hashed to equal-length digests first. */
  tokenMatches(given: string): boolean {
    return given !== "" && timingSafeEqual(digest(given), this.expected);
  }

  startSession(name: string): string {
    const id = randomBytes(32).toString("base64url");
    this.sessions.set(id, { name, expires: Date.now() + sessionHours * 3_600_000 });
    return id;
  }

  endSession(id: string | undefined): void {
    if (id) this.sessions.delete(id);
  }

  identify(request: FastifyRequest): Reviewer | null {
    const header = request.headers.authorization;
    if (typeof header === "string" && /^bearer /i.test(header)) {
      // A script signs in as itself; X-Reviewer names the person or bot it acts for in the audit trail.
      const name = String(request.headers["x-reviewer"] ?? "api").slice(0, 80);
      return this.tokenMatches(header.slice(7).trim()) ? { name: `token:${name}`, via: "bearer" } : null;
    }
    if (this.userHeader) {
      const user = request.headers[this.userHeader];
      if (typeof user === "string" && user.trim() !== "")
        return { name: user.trim().slice(0, 120), via: "proxy" };
    }
    const cookie = request.cookies[sessionCookie];
    const unsigned = cookie ? request.unsignCookie(cookie) : null;
    const session = unsigned?.valid && unsigned.value ? this.sessions.get(unsigned.value) : undefined;
    if (!session || session.expires < Date.now()) return null;
    return { name: session.name, via: "session" };
  }

  sessionId(request: FastifyRequest): string | undefined {
    const cookie = request.cookies[sessionCookie];
    const unsigned = cookie ? request.unsignCookie(cookie) : null;
    return unsigned?.valid ? (unsigned.value ?? undefined) : undefined;
  }
}

/** Pages send a browser to the login form; API calls get a 401 JSON error. */
export function refuse(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (request.url.startsWith("/api/"))
    return reply.code(401).header("www-authenticate", 'Bearer realm="inflow-console"').send({
      statusCode: 401,
      error: "Unauthorized",
      message:
        "sign in: Authorization: Bearer <token>, the token being INFLOW_CONSOLE_TOKEN or, when unset, the one the console generated at start (its start-up lines say where)",
    });
  return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 303);
}
