import { STATUS_CODES } from "node:http";
import type { FastifyError } from "fastify";
import type { ApiInstance } from "../instance.js";

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  request_id: string;
}

export function errorBody(statusCode: number, message: string, requestId: string): ErrorBody {
  return { statusCode, error: STATUS_CODES[statusCode] ?? "Error", message, request_id: requestId };
}

/**
 * Every error leaves as JSON naming the problem: validation → 400 with the failing path, client
 * errors keep their status and message (bad JSON 400 from plugins/json-body.ts), body too large 413
 * and unsupported media type 415 say the limit and what to send, unknown routes → 404. Anything else is the server's fault: 500 with no details (never a
 * stack), logged with the request id.
 */
export function jsonErrors(app: ApiInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error.validation) {
      reply.code(400).send(errorBody(400, error.message, request.id));
      return;
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      reply
        .code(status)
        .send(errorBody(status, clientMessage(error, app.initialConfig.bodyLimit), request.id));
      return;
    }
    request.log.error({ err: error }, "request failed");
    reply
      .code(500)
      .send(errorBody(500, "internal error; the server log has details under this request id", request.id));
  });
  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send(errorBody(404, `no route ${request.method} ${pathOf(request.url)}`, request.id));
  });
}

/**
 * Fastify's own words for a body it refuses say neither the limit nor what to send instead; a client
 * error otherwise keeps its message.
 */
function clientMessage(error: FastifyError, bodyLimit: number | undefined): string {
  if (error.code === "FST_ERR_CTP_BODY_TOO_LARGE")
    return `body is larger than the limit of ${bodyLimit} bytes (INFLOW_API_BODY_LIMIT_BYTES): send fewer or shorter tickets in each request`;
  if (error.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE")
    return "unsupported content type: send the body as JSON with the header Content-Type: application/json";
  return error.message;
}

/** The path without its query string (a query could carry personal data). */
export function pathOf(url: string): string {
  const q = url.indexOf("?");
  return (q < 0 ? url : url.slice(0, q)).slice(0, 200);
}
