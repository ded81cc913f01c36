import type { FastifyInstance, preValidationHookHandler } from "fastify";

/**
 * The check every change passes: browser sessions (cookie or proxy header) must send the CSRF token
 * of a page this console rendered; a bearer-token client is not a browser a third-party page can
 * drive, so it needs none.
 */
export function changeGuard(app: FastifyInstance): preValidationHookHandler {
  return function guard(request, reply, done) {
    if (request.reviewer?.via === "bearer") {
      done();
      return;
    }
    app.csrfProtection.call(this, request, reply, done);
  };
}
