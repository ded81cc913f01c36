import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { ApiInstance } from "../instance.js";

/** An incoming x-request-id is kept when it is a short token (it goes into logs); otherwise a new UUID. */
const acceptable = /^[\w.:@/-]{1,128}$/;

export function requestIdOf(request: IncomingMessage): string {
  const given = request.headers["x-request-id"];
  return typeof given === "string" && acceptable.test(given) ? given : randomUUID();
}

/** Echoes the request id on every response, errors included, so callers can quote it. */
export function echoRequestId(app: ApiInstance): void {
  app.addHook("onRequest", (request, reply, done) => {
    reply.header("x-request-id", request.id);
    done();
  });
}
