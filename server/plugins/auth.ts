import { createHash, timingSafeEqual } from "node:crypto";
import type { ApiInstance } from "../instance.js";
import { errorBody } from "./errors.js";

/**
 * Bearer-token auth for the routes of `app`'s context. Both tokens are hashed to equal-length digests
 * first, so timingSafeEqual compares in constant time and the token length does not leak either.
 */
export function requireBearerToken(app: ApiInstance, token: string): void {
  const expected = digest(token);
  app.addHook("onRequest", (request, reply, done) => {
    const header = request.headers.authorization;
    const given = typeof header === "string" && /^bearer /i.test(header) ? header.slice(7).trim() : "";
    if (given !== "" && timingSafeEqual(digest(given), expected)) {
      done();
      return;
    }
    const message =
      given === "" ? "missing bearer token (Authorization: Bearer <token>)" : "invalid bearer token";
    reply
      .code(401)
      .header("www-authenticate", 'Bearer realm="inflow"')
      .send(errorBody(401, message, request.id));
  });
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}
