import type { ApiInstance } from "../instance.js";
import type { ApiMetrics } from "../metrics.js";
import { pathOf } from "./errors.js";

/**
 * Per request: the latency histogram and request counter (labelled by the route pattern, so unknown
 * URLs collapse into "unmatched" instead of growing the label set), and one JSON access-log line
 * with method, path, status, duration and batch size — never the body, so never ticket text.
 */
export function observeRequests(app: ApiInstance, metrics: ApiMetrics, accessLog: boolean): void {
  app.addHook("onResponse", (request, reply, done) => {
    const route = request.routeOptions.url ?? "unmatched";
    const status = String(reply.statusCode);
    const ms = reply.elapsedTime;
    metrics.requestDuration.labels(request.method, route, status).observe(ms / 1000);
    metrics.requests.labels(request.method, route, status).inc();
    if (accessLog) {
      request.log.info(
        {
          method: request.method,
          path: pathOf(request.url),
          status: reply.statusCode,
          ms: Math.round(ms * 1000) / 1000,
          tickets: Array.isArray(request.body) ? request.body.length : undefined,
        },
        "request",
      );
    }
    done();
  });
}
