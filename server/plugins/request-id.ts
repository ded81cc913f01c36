import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { ApiInstance } from "../instance.js";
import type { ApiState } from "../state.js";

/** An incoming x-request-id is kept when it is a short token (it goes into logs); otherwise a new UUID. */
const acceptable = /^[\w.:@/-]{1,128}$/;

export function requestIdOf(request: IncomingMessage): string {
  const given = request.headers["x-request-id"];
  return typeof given === "string" && acceptable.test(given) ? given : randomUUID();
}

/**
 * The headers every answer gets, errors included, in the one hook every reply passes through: the
 * request id, so callers can quote it; and, once shutdown begins, `connection: close`, because
 * keep-alive connections busy when the listener closed would otherwise stay open after their last
 * answer and hold the drain to its end.
 */
export function answerHeaders(app: ApiInstance, state: Pick<ApiState, "shuttingDown">): void {
  app.addHook("onSend", (request, reply, payload, done) => {
    reply.header("x-request-id", request.id);
    if (state.shuttingDown) reply.header("connection", "close");
    done(null, payload);
  });
}
